#!/usr/bin/env python3
"""Developer check for Sources/WardenCore/QRCode: real decoders read what Warden encodes.

1. Compiles the QRCode sources (pure Swift) with a tiny generator into a temporary directory with swiftc.
2. Writes PNGs for otpauth URIs (including a 100-character one) and random texts at every error-correction
   level, over versions 1 to 40, and decodes each with `zbarimg --raw`: the text must come back exactly.
3. If the Python packages `qrcodegen` (Project Nayuki), `qrcode` and/or `segno` are installed, compares
   module matrices (versions 1-40, levels L/M/Q/H, full and partly filled, UTF-8 with ECI) with theirs,
   module for module at the same mask. The automatic mask choice must equal qrcodegen's (Warden follows its
   reading of the penalty rules); agreement with the others is reported only (any mask gives a valid symbol,
   and encoders read the penalty rules slightly differently).

Needs swiftc and zbarimg (Debian: `apt-get install -y zbar-tools`); `pip install qrcodegen qrcode segno` is
optional. Takes about 2.5 minutes with all three references on 2 cores.
This is not part of scripts/test: the Swift tests in Tests/WardenCoreTests/QRCodeTests.swift need neither.
Usage: scripts/check-qrcode.py [--keep DIR]
"""
import argparse
import json
import pathlib
import random
import shutil
import string
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "Sources" / "WardenCore" / "QRCode"
LEVELS = "LMQH"

GENERATOR = r"""
import Foundation

struct Job: Decodable {
    var text: String
    var level: String
    var scale: Int?
    var mask: Int?
    var png: String?
    var matrix: String?
}

let levels: [String: QRCode.ErrorCorrection] = ["L": .low, "M": .medium, "Q": .quartile, "H": .high]
let jobs = try JSONDecoder().decode([Job].self, from: Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[1])))
for job in jobs {
    let level = levels[job.level]!
    if let path = job.png {
        let bytes = try QRCode.png(for: job.text, correction: level, scale: job.scale ?? 4)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    if let path = job.matrix {
        let symbol = try QRCode.symbol(for: Array(job.text.utf8), correction: level, mask: job.mask)
        let text = "\(symbol.mask)\n" + symbol.rows.map { row in String(row.map { $0 ? "1" : "0" }) }.joined(separator: "\n")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }
}
"""


def build_generator(work: pathlib.Path) -> pathlib.Path:
    main = work / "main.swift"
    main.write_text(GENERATOR)
    binary = work / "qrgen"
    sources = sorted(str(p) for p in SOURCES.glob("*.swift"))
    subprocess.run(["swiftc", "-O", "-swift-version", "6", "-o", str(binary), *sources, str(main)], check=True)
    return binary


# Byte-mode capacities (ISO/IEC 18004 Table 7) of the versions the decoding cases fill, for L, M, Q, H.
BYTE_CAPACITY = {
    1: (17, 14, 11, 7), 2: (32, 26, 20, 14), 5: (106, 84, 60, 44), 7: (154, 122, 86, 64),
    10: (271, 213, 151, 119), 14: (458, 362, 258, 194), 20: (858, 666, 482, 382),
    27: (1465, 1125, 805, 625), 33: (2068, 1628, 1168, 898), 40: (2953, 2331, 1663, 1273),
}


def capacity(version: int, level: str, references=()) -> int:
    """Byte-mode capacity of a version: from a reference library's table of data codewords when one is
    installed (needed for every version), else from BYTE_CAPACITY."""
    bits = None
    if "segno" in references:
        import segno.consts as consts  # noqa: PLC0415 (optional dependency)
        bits = consts.SYMBOL_CAPACITY[version][consts.ERROR_MAPPING[level]]
    elif "qrcode" in references:
        import qrcode.base  # noqa: PLC0415
        import qrcode.constants  # noqa: PLC0415
        blocks = qrcode.base.rs_blocks(version, getattr(qrcode.constants, f"ERROR_CORRECT_{level}"))
        bits = 8 * sum(block.data_count for block in blocks)
    elif "qrcodegen" in references:
        import qrcodegen  # noqa: PLC0415
        ecc = {"L": qrcodegen.QrCode.Ecc.LOW, "M": qrcodegen.QrCode.Ecc.MEDIUM,
               "Q": qrcodegen.QrCode.Ecc.QUARTILE, "H": qrcodegen.QrCode.Ecc.HIGH}[level]
        bits = 8 * qrcodegen.QrCode._get_num_data_codewords(version, ecc)
    if bits is None:
        return BYTE_CAPACITY[version][LEVELS.index(level)]
    count_bits = 8 if version <= 9 else 16
    result = (bits - 4 - count_bits) // 8
    if version in BYTE_CAPACITY:
        assert result == BYTE_CAPACITY[version][LEVELS.index(level)], (version, level, result)
    return result


def load_references():
    """Matrix builders of the optional reference libraries: (text, level, mask, full) -> (rows, auto mask)."""
    references = {}
    try:
        import segno  # noqa: PLC0415
    except ImportError:
        segno = None
        print("segno not installed: comparing without it (pip install segno)")
    else:
        def from_segno(text, level, mask, full):
            # segno appends a spurious 0x00 codeword when the terminator ends on a codeword boundary (the
            # standard pads only up to the boundary), so it is a reference only where the data fills the symbol.
            if not full and text.isascii():
                return None
            options = {"error": level, "mode": "byte", "micro": False, "boost_error": False}
            data = text.encode() if text.isascii() else text
            if not text.isascii():
                options.update(eci=True, encoding="utf-8")  # non-ASCII goes out as UTF-8 behind an ECI header
            auto = segno.make(data, **options).mask
            rows = segno.make(data, mask=mask, **options).matrix
            return ["".join("1" if m else "0" for m in row) for row in rows], auto
        references["segno"] = from_segno
    try:
        import qrcode  # noqa: PLC0415
        import qrcode.util  # noqa: PLC0415
    except ImportError:
        print("qrcode not installed: comparing without it (pip install qrcode)")
    else:
        def from_qrcode(text, level, mask, full):
            if not text.isascii():
                return None  # python-qrcode writes no ECI header
            correction = getattr(qrcode.constants, f"ERROR_CORRECT_{level}")
            symbol = qrcode.QRCode(error_correction=correction, border=0, mask_pattern=mask)
            symbol.add_data(qrcode.util.QRData(text.encode(), mode=qrcode.util.MODE_8BIT_BYTE))
            symbol.make(fit=True)
            rows = ["".join("1" if m else "0" for m in row) for row in symbol.get_matrix()]
            return rows, symbol.best_mask_pattern()
        references["qrcode"] = from_qrcode
    try:
        import qrcodegen  # noqa: PLC0415
    except ImportError:
        print("qrcodegen not installed: comparing without it (pip install qrcodegen)")
    else:
        def from_qrcodegen(text, level, mask, full):
            correction = {"L": qrcodegen.QrCode.Ecc.LOW, "M": qrcodegen.QrCode.Ecc.MEDIUM,
                          "Q": qrcodegen.QrCode.Ecc.QUARTILE, "H": qrcodegen.QrCode.Ecc.HIGH}[level]
            segments = [qrcodegen.QrSegment.make_bytes(text.encode())]
            if not text.isascii():
                segments.insert(0, qrcodegen.QrSegment.make_eci(26))  # UTF-8, as Warden writes it
            def build(forced):
                return qrcodegen.QrCode.encode_segments(segments, correction, boostecl=False, mask=forced)
            symbol = build(mask)
            rows = ["".join("1" if symbol.get_module(x, y) else "0" for x in range(symbol.get_size()))
                    for y in range(symbol.get_size())]
            return rows, build(-1).get_mask()
        references["qrcodegen"] = from_qrcodegen
    return references


def random_text(rng: random.Random, length: int) -> str:
    alphabet = string.ascii_letters + string.digits + " :/?&=.-_%"
    return "".join(rng.choice(alphabet) for _ in range(length))


def otpauth(user: str, secret_len: int, rng: random.Random) -> str:
    secret = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(secret_len))
    return f"otpauth://totp/Warden:{user}@123456789012?secret={secret}&issuer=Warden"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="write the PNGs here and keep them")
    args = parser.parse_args()
    if shutil.which("zbarimg") is None:
        print("zbarimg not found: apt-get install -y zbar-tools", file=sys.stderr)
        return 2
    references = load_references()

    rng = random.Random(18004)
    work = pathlib.Path(tempfile.mkdtemp(prefix="qrcheck-"))
    out = pathlib.Path(args.keep) if args.keep else work
    out.mkdir(parents=True, exist_ok=True)
    generator = build_generator(work)

    # Decoding cases: name -> (text, level, scale)
    cases = []
    uri = "otpauth://totp/Warden:alice@123456789012?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Warden"
    cases.append(("otpauth-alice", uri, "M", 6))
    hundred = otpauth("bob", 0, rng)
    hundred = otpauth("bob", 100 - len(hundred), rng)
    assert len(hundred) == 100, len(hundred)
    for level in LEVELS:
        cases.append((f"otpauth-100-{level}", hundred, level, 6))
    # AWS seeds are 40 bytes: 64 Base32 characters.
    cases.append(("otpauth-aws-seed", otpauth("carol.long-name+tag", 64, rng), "M", 6))
    for level in LEVELS:
        for version in (1, 2, 5, 7, 10, 14, 20, 27, 33, 40):
            length = capacity(version, level, references)
            cases.append((f"v{version}-{level}", random_text(rng, length), level, 3 if version > 20 else 4))
    cases.append(("empty", "", "M", 4))
    cases.append(("scale-1", "Warden", "M", 1))
    cases.append(("utf8", "otpauth://totp/Wärden:zoë@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Wärden", "M", 5))

    jobs = [{"text": t, "level": lvl, "scale": s, "png": str(out / f"{name}.png")} for name, t, lvl, s in cases]

    # Matrix comparison jobs: per version and level, a text at full capacity and one of random length
    # within the version, each with a forced mask and with the automatic choice.
    compare = []
    if references:
        for level in LEVELS:
            for version in range(1, 41):
                full = capacity(version, level, references)
                shortest = 1 if version == 1 else capacity(version - 1, level, references) + 1
                for kind, length in (("f", full), ("r", rng.randint(shortest, full))):
                    text = random_text(rng, length)
                    compare.append((f"{kind}m{version}{level}", text, level, version % 8))
                    compare.append((f"{kind}a{version}{level}", text, level, None))
        for level in LEVELS:
            compare.append((f"u{level}", "Wärden ✓ zoë – " + random_text(rng, 30), level, 5))
        jobs += [{"text": t, "level": lvl, "mask": m, "matrix": str(work / f"{name}.txt")} for name, t, lvl, m in compare]

    manifest = work / "jobs.json"
    manifest.write_text(json.dumps(jobs))
    subprocess.run([str(generator), str(manifest)], check=True)

    failures = 0
    for name, text, level, _ in cases:
        png = out / f"{name}.png"
        result = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
        decoded = result.stdout[:-1] if result.stdout.endswith("\n") else result.stdout
        ok = result.returncode == 0 and decoded == text
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} zbar {name} ({len(text.encode())} bytes, level {level})")
        if not ok:
            print(f"     expected {text!r}\n     got      {decoded!r} (exit {result.returncode})")

    if references:
        agree = {name: 0 for name in references}
        automatic = {name: 0 for name in references}
        compared = {name: 0 for name in references}
        mismatches = 0
        for name, text, level, mask in compare:
            lines = (work / f"{name}.txt").read_text().split("\n")
            ours_mask, ours = int(lines[0]), lines[1:]
            for library, reference in references.items():
                result = reference(text, level, mask if mask is not None else ours_mask, full=name.startswith("f"))
                if result is None:
                    continue
                expected, auto_mask = result
                compared[library] += 1
                if mask is None:
                    automatic[library] += 1
                    agree[library] += auto_mask == ours_mask
                    if library == "qrcodegen" and auto_mask != ours_mask:
                        mismatches += 1
                        print(f"FAIL mask {name}: chose {ours_mask}, qrcodegen chose {auto_mask}")
                if expected != ours:
                    mismatches += 1
                    print(f"FAIL matrix {name}: {len(ours)} modules, level {level}, mask {mask} differs from {library}")
        failures += mismatches
        for library in references:
            print(f"     {library}: {compared[library]} matrices compared (versions 1-40 x L/M/Q/H); "
                  f"automatic mask equals {library}'s choice in {agree[library]}/{automatic[library]}")
        print(f"{'ok  ' if mismatches == 0 else 'FAIL'} reference matrices and qrcodegen's masks: {mismatches} differ")

    total = len(cases) + len(compare)
    print(f"{total - failures} passed, {failures} failed")
    if not args.keep:
        shutil.rmtree(work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
