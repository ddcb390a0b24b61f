import CPUFeatures
import Foundation

/// Whether this process may call the kernels: a release build compiled for AVX2 and FMA needs a CPU
/// that has them, or its first vector instruction would kill the process (SIGILL). Nil when the
/// kernels can run; otherwise the one line `gptx` prints before refusing.
/// `GPTX_CPU=baseline` makes this CPU count as one without AVX2 (to test the refusal here).
public func kernelsCannotRunReason() -> String? {
    #if GPTX_NEEDS_AVX2
    if !cpuHasAVX2FMA {
        return "this CPU lacks AVX2/FMA, which this release build of gptx is compiled for; rebuild it for any CPU with `GPTX_PORTABLE=1 swift build -c release --product gptx` (slower kernels)"
    }
    #endif
    return nil
}

/// Whether this CPU runs AVX2 and FMA.
public var cpuHasAVX2FMA: Bool {
    ProcessInfo.processInfo.environment["GPTX_CPU"] != "baseline" && gptx_cpu_has_avx2_fma() != 0
}

/// Whether this CPU runs the AVX-512 set of the matrix product's wide tile (F, VL, BW, DQ, CD).
/// `GPTX_CPU=avx2` (or `baseline`) makes it count as one without AVX-512.
public var cpuHasAVX512: Bool {
    let forced = ProcessInfo.processInfo.environment["GPTX_CPU"]
    return forced != "avx2" && forced != "baseline" && gptx_cpu_has_avx512() != 0
}

/// Whether the kernels were compiled for AVX2 and FMA (a release build without `GPTX_PORTABLE=1`).
public var kernelsNeedAVX2: Bool {
    #if GPTX_NEEDS_AVX2
    return true
    #else
    return false
    #endif
}
