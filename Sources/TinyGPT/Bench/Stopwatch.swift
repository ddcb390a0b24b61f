import Foundation

/// Wall-clock timing for `gptx bench`: medians of repeated runs after a warm-up.
public enum Stopwatch {
    /// Seconds taken by `body`.
    public static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Runs `body` `warmup` times untimed, then `runs` times; returns the timings in seconds.
    public static func samples(warmup: Int, runs: Int, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        return (0..<runs).map { _ in time(body) }
    }

    /// `samples` of two bodies run in turn (a, b, a, b, …), so a burst of load on a shared
    /// machine slows both alike and their ratio stays fair; returns (a's timings, b's).
    public static func pairedSamples(warmup: Int, runs: Int, _ a: () -> Void, _ b: () -> Void) -> ([Double], [Double]) {
        for _ in 0..<warmup { a(); b() }
        var ta: [Double] = [], tb: [Double] = []
        ta.reserveCapacity(runs); tb.reserveCapacity(runs)
        for _ in 0..<runs { ta.append(time(a)); tb.append(time(b)) }
        return (ta, tb)
    }

    public static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
