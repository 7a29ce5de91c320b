from evsynth.cli import main

raise SystemExit(main())
