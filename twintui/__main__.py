from twintui.cli import main
import sys

sys.exit(main())
