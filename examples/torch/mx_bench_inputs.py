"""The inputs of scripts/gpu-bench.sh, generated on the GPU from a seed.

The same generator as tools/mx-gpu-bench-ref (which computes the expected
bits on the CPU machine); test/GPU/bench-inputs.test checks that the two
agree. Every intermediate of hash32 stays below 2^63, so int64 tensor
arithmetic is exact.
"""
M32 = 0xFFFFFFFF


def hash32(seed, stream, idx):
    x = (idx * 0x9E3779B1 + (seed * 0x85EBCA77 + stream * 0xC2B2AE3D + 1)) & M32
    x ^= x >> 16
    x = (x * 0x45D9F3B) & M32
    x ^= x >> 16
    x = (x * 0x45D9F3B) & M32
    x ^= x >> 16
    return x


def _idx(n, device):
    import torch
    return torch.arange(n, dtype=torch.int64, device=device)


SCALE_RANGES = {"e8m0": (118, 16), "e4m3": (0x20, 0x40), "e5m2": (0x34, 0x10)}


def activations(seed, m, k, device="cuda"):
    import torch
    h = hash32(seed, 0, _idx(m * k, device))
    return ((h % 2001).to(torch.float32) - 1000.0).div_(256.0).reshape(m, k)


def weight(seed, k, n, scale_kind, block, groups, device="cuda"):
    """Packed codes [K, ceil(N/2)] and `groups` scale arrays [ceil(K/bs), N]
    as uint8, as stored by mx.pack (docs/Spec.md §7)."""
    import torch
    row = (n + 1) // 2
    codes = (hash32(seed, 1, _idx(k * row, device)) & 0xFF).to(torch.uint8)
    nb = (k + block - 1) // block
    lo, span = SCALE_RANGES[scale_kind]
    scales = [(lo + hash32(seed, 2 + g, _idx(nb * n, device)) % span)
              .to(torch.uint8).reshape(nb, n) for g in range(groups)]
    return codes.reshape(k, row), scales
