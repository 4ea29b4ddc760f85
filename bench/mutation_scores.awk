# Mutation score per module from `mutmut results --all=true`, counting only the mutants
# `make mutants` tests: all of pib360.services, and the domain's numbered ...0 and ...5.
# A mutant is killed when a test failed or timed out with it.
{
    key = $1; sub(/:$/, "", key)
    split(key, parts, ".x")
    module = parts[1]
    if (module ~ /^pib360\.domain\./ && key !~ /__mutmut_[0-9]*[05]$/) next
    status = $2 == "no" ? "no tests" : $2
    if (status == "not") next  # not checked in this run
    total[module]++
    if (status == "killed" || status == "timeout") killed[module]++
    else if (status == "survived") survived[module]++
    else if (status == "no tests") untested[module]++
}
END {
    printf "%-30s %8s %8s %8s %6s %7s\n", "module", "killed", "survived", "no tests", "total", "score"
    for (m in total) {
        all_killed += killed[m]; all_total += total[m]
        printf "%-30s %8d %8d %8d %6d %6.1f%%\n", m, killed[m], survived[m], untested[m], total[m], 100 * killed[m] / total[m] | "sort"
    }
    close("sort")
    printf "%-30s %8d %26d %6.1f%%\n", "all", all_killed, all_total, 100 * all_killed / all_total
}
