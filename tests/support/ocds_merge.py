"""Compiles and versions the releases of each record of an OCDS record package with
ocdsmerge, the reference implementation of the OCDS merge routine, offline: the release
schema (for the merge rules) is a local file.

Usage: python3 ocds_merge.py RELEASE_SCHEMA RECORD_PACKAGE
Prints [{"ocid", "compiledRelease", "versionedRelease"}] as JSON.
"""

import json
import sys

import ocdsmerge


def main(schema, package):
    merger = ocdsmerge.Merger(schema=schema)
    with open(package, encoding="utf-8") as f:
        records = json.load(f)["records"]
    merged = [
        {
            "ocid": record["ocid"],
            "compiledRelease": merger.create_compiled_release(record["releases"]),
            "versionedRelease": merger.create_versioned_release(record["releases"]),
        }
        for record in records
    ]
    json.dump(merged, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:])
