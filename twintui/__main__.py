import sys

from twintui.cli import main

sys.exit(main())
