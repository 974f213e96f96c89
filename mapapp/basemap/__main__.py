"""``python -m mapapp.basemap --dest DIR``: build the base map's offline detail (:mod:`.detail`)."""

import sys

from mapapp.basemap.detail import main

sys.exit(main(sys.argv[1:]))
