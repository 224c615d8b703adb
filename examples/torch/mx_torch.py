"""Call mx-mlir GPU code from PyTorch (ctypes over an AOT-compiled .so).

A module compiled by `--mx-lower-to-nvvm` (memory=device, the default) and
linked with libmx_gpu_runtime.a into a shared object exports, for every
function with `llvm.emit_c_interface` (mx-opt --llvm-request-c-wrappers),
`_mlir_ciface_<name>(results*, args...)`. A tensor argument is a memref
descriptor {allocated, aligned, offset, sizes[rank], strides[rank]} whose
pointers are CUDA device pointers, e.g. `t.data_ptr()` of a contiguous CUDA
tensor; results come back as descriptors of device buffers that the caller
owns and frees with `mxGpuFree` (stream-ordered). The work runs on the
stream given to `mxGpuSetStream`, here PyTorch's current stream, with no
host synchronization (docs/GPU.md, "Memory model and ABI").
"""
import ctypes

import torch


def descriptor_type(rank):
    """The ctypes struct of a ranked memref descriptor."""
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank),
                   ("strides", ctypes.c_int64 * rank)]
    return type("MemRef%dD" % rank, (ctypes.Structure,), {"_fields_": fields})


def descriptor(t):
    """A descriptor of the contiguous CUDA tensor `t` (no copy)."""
    assert t.is_cuda and t.is_contiguous(), "need a contiguous CUDA tensor"
    d = descriptor_type(t.dim())()
    d.allocated = d.aligned = t.data_ptr()
    d.offset = 0
    for i, (s, st) in enumerate(zip(t.shape, t.stride())):
        d.sizes[i] = s
        d.strides[i] = st
    return d


class Module:
    """A shared object of mx-compiled GPU code and its runtime."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        self.lib.mxGpuSetErrorMode(1)  # record errors, never exit
        self.lib.mxGpuGetLastError.argtypes = [
            ctypes.POINTER(ctypes.c_char_p)]
        self.lib.mxGpuFree.argtypes = [ctypes.c_int64]
        self.lib.mxGpuCopy.argtypes = [ctypes.c_int64] * 3
        self.lib.mxGpuSetStream.argtypes = [ctypes.c_void_p]

    def use_current_stream(self):
        self.lib.mxGpuSetStream(torch.cuda.current_stream().cuda_stream)

    def check(self):
        msg = ctypes.c_char_p()
        if self.lib.mxGpuGetLastError(ctypes.byref(msg)):
            raise RuntimeError("mx GPU runtime: " + msg.value.decode())

    def call(self, name, results, *args):
        """Calls `name`; `results` lists its results: the rank of a memref
        (returned as a descriptor of a device buffer owned by the caller) or
        "f32" (returned as a float)."""
        res_t = type("Results", (ctypes.Structure,), {"_fields_": [
            ("r%d" % i, ctypes.c_float if r == "f32" else descriptor_type(r))
            for i, r in enumerate(results)]})
        out = res_t()
        cargs = [ctypes.byref(out)]
        for a in args:
            if isinstance(a, torch.Tensor):
                cargs.append(ctypes.byref(descriptor(a)))
            elif isinstance(a, float):
                cargs.append(ctypes.c_float(a))
            else:
                cargs.append(a)
        if len(results) == 1 and results[0] == "f32":
            raise ValueError("a single scalar result is returned by value")
        # The C interface takes a pointer to the result (a struct of all
        # results when there are several) before the arguments.
        getattr(self.lib, "_mlir_ciface_" + name)(*cargs)
        self.check()
        return [getattr(out, "r%d" % i) for i in range(len(results))]

    def to_torch(self, d, shape, dtype):
        """Copies the device buffer of descriptor `d` into a new tensor and
        frees the buffer (both in stream order)."""
        t = torch.empty(shape, dtype=dtype, device="cuda")
        self.lib.mxGpuCopy(t.data_ptr(), d.aligned, t.numel() * t.element_size())
        self.free(d)
        self.check()
        return t

    def free(self, d):
        self.lib.mxGpuFree(d.allocated)
