"""Runs libcoveocds's command line with nothing fetched from the network.

With --standard-zip, libcoveocds 0.17 reads the standard from a local zip, except the
versioned release schema that the record package schema refers to by URL: jsonref fetches
that one when it dereferences the record package schema. This serves every schema URL of
the standard's version from the same zip (they are the same files), then runs libcoveocds
as its command line does. Any other request goes to the network as before, which the tests
point to a closed port.

Usage: python3 libcoveocds_offline.py --standard-zip ZIP [libcoveocds options] FILE
"""

import sys
import zipfile

import requests

from libcoveocds.__main__ import main

BASE = "https://standard.open-contracting.org/schema/1__1__5/"


def serve_schemas_from(zip_path):
    archive = zipfile.ZipFile(zip_path)
    # standard-1__1__5/schema/NAME.json -> NAME.json
    schemas = {
        name.split("/")[-1]: name
        for name in archive.namelist()
        if name.count("/") == 2 and name.split("/")[1] == "schema" and name.endswith(".json")
    }
    fetch = requests.get

    def get(url, *args, **kwargs):
        name = url[len(BASE):] if url.startswith(BASE) else None
        if name in schemas:
            response = requests.Response()
            response.status_code = 200
            response.url = url
            response._content = archive.read(schemas[name])
            return response
        return fetch(url, *args, **kwargs)

    requests.get = get


if __name__ == "__main__":
    serve_schemas_from(sys.argv[sys.argv.index("--standard-zip") + 1])
    main()
