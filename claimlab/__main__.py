from claimlab.cli import main

main()
