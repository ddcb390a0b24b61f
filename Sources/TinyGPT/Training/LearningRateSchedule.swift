import Foundation

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `floor` at `totalSteps`.
///
///     let s = LearningRateSchedule(peak: 3e-3, floor: 3e-4, warmupSteps: 100, totalSteps: 2000)
///     s.rate(at: 0)      // 3e-5: warm-up starts just above zero
///     s.rate(at: 1999)   // ≈ 3e-4
public struct LearningRateSchedule: Sendable, Equatable {
    public var peak: Float, floor: Float, warmupSteps: Int, totalSteps: Int

    public init(peak: Float, floor: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.floor = floor
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The rate for 0-based step `step`.
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = max(1, totalSteps - 1 - warmupSteps)
        let progress = min(1, Double(step - warmupSteps) / Double(span))
        let cosine = 0.5 * (1 + cos(Double.pi * progress))
        return floor + Float(cosine) * (peak - floor)
    }
}
