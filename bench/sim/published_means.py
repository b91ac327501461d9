#!/usr/bin/python3
"""The FGD authors' published means for one workload, from their cached results
(../shared/traces/alibaba-gpu-v2023/fgd_expected_results/): unallocated GPUs at 100% arrival
(100 - column "100" of analysis_allo_discrete.csv), allocation at 130%, fragmentation at 100%
(analysis_frag_discrete.csv), mean and sample standard deviation across the seeds.

usage: published_means.py TRACE_DIR [WORKLOAD]   (prints CSV: policy,seeds,unalloc_mean,...)
"""
import csv
import statistics
import sys
from pathlib import Path

POLICIES = {"01-Random": "random", "05-BestFit": "best-fit", "06-FGD": "fgd",
            "04-GpuPacking": "gpu-packing", "03-GpuClustering": "gpu-clustering",
            "02-DotProd": "dot-product"}


def rows(path, workload):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["workload"] == workload]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    base = Path(sys.argv[1]) / "fgd_expected_results"
    workload = sys.argv[2] if len(sys.argv) > 2 else "openb_pod_list_default"
    allo = rows(base / "analysis_allo_discrete.csv", workload)
    frag = {(r["sc_policy"], r["seed"]): r for r in rows(base / "analysis_frag_discrete.csv", workload)}
    print("policy,seeds,unallocated_at_100_mean,unallocated_at_100_sd,allocated_at_130_mean,"
          "allocated_at_130_sd,frag_at_100_mean,frag_at_100_sd")
    for key, name in POLICIES.items():
        rs = [r for r in allo if r["sc_policy"] == key]
        if not rs:
            continue
        un = [100 - float(r["100"]) for r in rs]
        a130 = [float(r["130"]) for r in rs]
        fr = [float(frag[(key, r["seed"])]["100"]) for r in rs if (key, r["seed"]) in frag]
        sd = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0
        print(f"{name},{'|'.join(sorted(r['seed'] for r in rs))},{statistics.mean(un):.2f},{sd(un):.2f},"
              f"{statistics.mean(a130):.2f},{sd(a130):.2f},{statistics.mean(fr):.2f},{sd(fr):.2f}")


if __name__ == "__main__":
    main()
