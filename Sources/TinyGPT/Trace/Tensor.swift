/// A captured Float32 tensor: a shape and its elements in row-major order.
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not match \(data.count) elements")
        self.shape = shape
        self.data = data
    }

    public init(shape: [Int], repeating value: Float = 0) {
        self.shape = shape
        self.data = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor whose elements `fill` writes, all `shape.reduce(1, *)` of them (no zeroing first).
    init(shape: [Int], fill: (UnsafeMutablePointer<Float>) -> Void) {
        let n = shape.reduce(1, *)
        self.shape = shape
        self.data = [Float](unsafeUninitializedCapacity: n) { buffer, count in
            if n > 0 { fill(buffer.baseAddress!) }
            count = n
        }
    }

    /// Element at a multi-index, e.g. `pattern[h, i, j]`.
    public subscript(_ index: Int...) -> Float {
        get { data[flatIndex(index)] }
        set { data[flatIndex(index)] = newValue }
    }

    /// The contiguous slice along the first axis: `tensor.row(i)` of a [T, C] tensor is C floats.
    public func row(_ i: Int) -> ArraySlice<Float> {
        let n = shape.dropFirst().reduce(1, *)
        return data[(i * n)..<((i + 1) * n)]
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
        var flat = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "index \(index) out of range for shape \(shape)")
            flat = flat * n + i
        }
        return flat
    }
}
