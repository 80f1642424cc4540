from vaultplan.cli import main

main()
