#!/usr/bin/python3
"""Regenerates scheduler/names/standard_*.cpp from Debian's os-traits and os-resource-classes.

Run from the project root after those packages change version; the unit test
tests/unit/standard_names_test.py fails until the copies match the installed packages.
"""
import os_resource_classes
import os_traits


def write(path, function, names, source):
    with open(path, "w") as f:
        f.write("// Generated from the Debian package %s by scripts/generate-standard-names.py.\n" % source)
        f.write("// Do not edit by hand: tests/unit/standard_names_test compares it with the package.\n")
        f.write('#include "scheduler/names/standard_names.hpp"\n\nnamespace vgpu::scheduler {\n\n')
        f.write("const std::vector<std::string_view>& %s() {\n" % function)
        f.write("  static const std::vector<std::string_view> kNames = {\n")
        for name in names:
            f.write('      "%s",\n' % name)
        f.write("  };\n  return kNames;\n}\n\n}  // namespace vgpu::scheduler\n")


write("scheduler/names/standard_resource_classes.cpp", "standard_resource_classes",
      os_resource_classes.STANDARDS, "python3-os-resource-classes %s" % "1.1.0")
write("scheduler/names/standard_traits.cpp", "standard_traits",
      sorted(os_traits.get_traits()), "python3-os-traits %s" % "2.9.0")
