#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Assemble every PTX module embedded in an MLIR file with ptxas.

Reads the output of --mx-lower-to-nvvm (format=isa): every
`#gpu.object<..., assembly = "...">` of every gpu.binary holds one PTX
module (MLIR string escapes: \\XX hex, \\\\, \\"). Each is written to a
temporary file and assembled with `ptxas -arch=ARCH`. Prints one summary
line and exits non-zero if any module fails (its ptxas log is printed).

usage: check_ptx.py PTXAS ARCH FILE.mlir
"""
import os
import re
import subprocess
import sys
import tempfile

ASM = re.compile(r'assembly = "((?:[^"\\]|\\.)*)"')


def unescape(s):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            n = s[i + 1]
            if n in '\\"':
                out.append(ord(n))
                i += 2
            else:
                out.append(int(s[i + 1:i + 3], 16))
                i += 3
        else:
            out.extend(c.encode())
            i += 1
    return out.decode()


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    ptxas, arch, path = argv[1:]
    with open(path) as fh:
        text = fh.read()
    modules = [unescape(m) for m in ASM.findall(text)]
    if not modules:
        print("check_ptx: no PTX found in %s" % path)
        return 1
    failed = 0
    kernels = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, ptx in enumerate(modules):
            if (".target %s" % arch) not in ptx:
                print("check_ptx: module %d does not target %s" % (i, arch))
                failed += 1
                continue
            kernels += ptx.count(".entry ")
            src = os.path.join(tmp, "m%d.ptx" % i)
            with open(src, "w") as fh:
                fh.write(ptx)
            r = subprocess.run([ptxas, "-arch=" + arch, src, "-o",
                                os.path.join(tmp, "m%d.cubin" % i)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                failed += 1
                print("check_ptx: ptxas failed on module %d:\n%s%s"
                      % (i, r.stdout, r.stderr))
    print("check_ptx: %d modules, %d kernels, %d failed, arch %s"
          % (len(modules), kernels, failed, arch))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
