#!/usr/bin/python3
"""Fails when scheduler/names/standard_*.cpp differ from Debian's os-traits/os-resource-classes."""
import re
import sys

import os_resource_classes
import os_traits


def names_in(path):
    with open(path) as f:
        return re.findall(r'^\s+"([A-Z0-9_]+)",$', f.read(), re.M)


root = sys.argv[1]
classes = names_in(root + "/scheduler/names/standard_resource_classes.cpp")
traits = names_in(root + "/scheduler/names/standard_traits.cpp")
ok = True
if classes != list(os_resource_classes.STANDARDS):
    print("standard resource classes differ from os-resource-classes; run scripts/generate-standard-names.py")
    ok = False
if traits != sorted(os_traits.get_traits()):
    print("standard traits differ from os-traits; run scripts/generate-standard-names.py")
    ok = False
print("%d classes, %d traits checked" % (len(classes), len(traits)))
print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
sys.exit(0 if ok else 1)
