from regionlink.cli import main

main()
