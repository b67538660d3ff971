#!/usr/bin/env python3
"""Reference for SwiftComfy's fp8 write-back of LoRA-patched weights (Tests/TensorCoreTests/
StochasticRoundingTests.swift). Runs ComfyUI 0.8.0's own comfy/float.py stochastic_rounding (imported
from a ComfyUI checkout, not copied) with real torch on the CPU and writes a small JSON:

  seed of a key (comfy string_to_seed: CRC-32 of the key's characters, = zlib.crc32 for ASCII keys)
  the first torch.rand float16 values of a seeded CPU generator
  for float8_e4m3fn and float8_e5m2: the output bytes for every fp16 bit pattern as input (65536
  values, shape [256, 256], seeded with the key's seed) as an FNV-1a 64 hash plus the first 128
  bytes, and the bytes for 256 float32 values that are not fp16 values (shape [16, 16]).

Usage: python3 fp8_stochastic_rounding.py COMFYUI_DIR OUT.json [RAW_PREFIX]   (torch 2.x, numpy)
COMFYUI_DIR needs comfy/float.py and an empty comfy/__init__.py (importing the whole package needs
ComfyUI's dependencies). Output committed: scripts/reference/fp8_stochastic_rounding.json.
"""
import json
import sys
import zlib

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
import comfy.float  # noqa: E402  (ComfyUI's module: needs only torch)

KEY = "model.diffusion_model.input_blocks.1.1.proj_in.weight"


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    seed = zlib.crc32(KEY.encode("ascii"))
    g = torch.Generator(device="cpu")
    g.manual_seed(1234)
    rand16 = torch.rand(8, dtype=torch.float16, generator=g).float().tolist()

    every_half = torch.arange(65536, dtype=torch.int32).to(torch.int16).view(torch.float16).float().reshape(256, 256)
    rng = np.random.default_rng(7)
    values = torch.from_numpy((rng.standard_normal(256) * 0.05).astype(np.float32)).reshape(16, 16)
    out = {"torch": torch.__version__, "key": KEY, "seed": seed, "rand_float16_seed_1234": rand16}
    for name, dtype in [("float8_e4m3fn", torch.float8_e4m3fn), ("float8_e5m2", torch.float8_e5m2)]:
        every = comfy.float.stochastic_rounding(every_half, dtype, seed=seed).view(torch.uint8).flatten().numpy().tobytes()
        some = comfy.float.stochastic_rounding(values, dtype, seed=seed).view(torch.uint8).flatten().numpy().tobytes()
        out[name] = {"every_half_fnv1a64": "%016x" % fnv1a64(every), "every_half_first_128": every[:128].hex(),
                     "normal_values_bytes": some.hex()}
        if len(sys.argv) > 3:
            open(sys.argv[3] + "." + name, "wb").write(every)
    out["normal_values_float32_hex"] = values.flatten().numpy().astype("<f4").tobytes().hex()
    json.dump(out, open(sys.argv[2], "w"), indent=1)


if __name__ == "__main__":
    main()
