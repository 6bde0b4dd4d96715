import Foundation

/// This process's CPU time and resident memory, for the heartbeats (Locust's worker sends psutil's figures).
struct ProcessUsage {
    var wallSeconds: Double
    var cpuSeconds: Double
    var residentBytes: Int

    static func now() -> ProcessUsage {
        var usage = rusage()
        _ = getrusage(__rusage_who_t(0), &usage)  // RUSAGE_SELF (Glibc imports it as an enum getrusage does not take)
        let cpu =
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        // /proc/self/statm: size resident shared ... in pages.
        var resident = 0
        if let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = text.split(separator: " ")
            if fields.count > 1, let pages = Int(fields[1]) { resident = pages * Int(sysconf(Int32(_SC_PAGESIZE))) }
        }
        return ProcessUsage(wallSeconds: Date().timeIntervalSince1970, cpuSeconds: cpu, residentBytes: resident)
    }

    /// CPU use from `self` to `later`, in percent of one core (as psutil's `cpu_percent`: 200 = two cores).
    func percent(to later: ProcessUsage) -> Double {
        let wall = later.wallSeconds - wallSeconds
        return wall > 0 ? max(0, (later.cpuSeconds - cpuSeconds) / wall * 100) : 0
    }
}
