import Kernels
/// The MLP's hidden neurons over a body of text: which tokens excite each of one block's 4C
/// neurons most. A neuron's activation at a position is its GELU output, what
/// `blocks.{l}.mlp.hook_post` holds: GELU(LN₂(x)·W_fc + b_fc), column n.
///
/// The model runs over windows of text (batched, the training kernels of `GPT.forwardPass`), and
/// for every neuron each token id keeps its strongest occurrence; a neuron's `top` is those, the
/// strongest first. One computation for chapter 3's numbers and the `mlpActivations` figure.
///
///     let windows = NeuronScan.windows(of: trainStream, length: 64, count: 64)
///     let scan = NeuronScan(model: model, layer: 1, windows: windows)
///     scan.top[17].first   // the token that drives neuron 17 of block 1 highest, and where
public struct NeuronScan: Sendable {
    /// One occurrence: token `id` at `position` of window `window`, and the neuron's activation there.
    public struct Hit: Sendable, Hashable {
        public var window: Int
        public var position: Int
        public var id: Int
        public var activation: Float
    }

    /// How many context-length windows of the training text the figure and chapter 3 scan.
    public static let standardWindows = 16

    /// The block whose MLP was read.
    public let layer: Int
    /// The text, as run (each window is one forward pass from position 0).
    public let windows: [[Int]]
    /// Positions read: the windows' lengths summed.
    public var tokensScanned: Int { windows.reduce(0) { $0 + $1.count } }
    /// `top[n]`: neuron n's strongest `keep` tokens, one hit per distinct id (its strongest
    /// occurrence; ties to the earliest), strongest first (ties to the earlier occurrence).
    public let top: [[Hit]]

    /// Runs `model` over `windows` (each 1…contextLength ids) and keeps `keep` tokens per neuron of block `layer`.
    public init(model: GPT, layer: Int, windows: [[Int]], keep: Int = 5, batch: Int = 16) {
        let c = model.config, H = 4 * c.width, V = c.vocabSize
        precondition((0..<c.layers).contains(layer), "layer \(layer) outside 0..<\(c.layers)")
        precondition(windows.allSatisfy { (1...c.contextLength).contains($0.count) }, "window length outside 1...\(c.contextLength)")
        self.layer = layer
        self.windows = windows
        // best[n·V + id]: neuron n's strongest activation on token id so far, and where.
        var best = [Float](repeating: -.infinity, count: H * V)
        var whereBest = [Int32](repeating: -1, count: 2 * H * V)
        var start = 0
        while start < windows.count {
            // A batch of equal-length windows (the kernels take one T per pass).
            let T = windows[start].count
            var end = start + 1
            while end < windows.count, end - start < batch, windows[end].count == T { end += 1 }
            let B = end - start
            let a = ActivationLayout(c, B: B, T: T)
            let acts = FloatBuffer(count: a.count)
            let inputs = windows[start..<end].flatMap { $0.map(Int32.init) }
            inputs.withUnsafeBufferPointer { inp in model.withUnembedding { model.forwardPass(acts, a, inp.baseAddress!, wteT: $0, blocks: layer + 1) } }
            let post = acts[a.layers[layer].fchGelu]   // (B, T, 4C)
            for b in 0..<B {
                let w = windows[start + b]
                for t in 0..<T {
                    let row = post + (b * T + t) * H, id = w[t]
                    for n in 0..<H where row[n] > best[n * V + id] {
                        best[n * V + id] = row[n]
                        whereBest[2 * (n * V + id)] = Int32(start + b)
                        whereBest[2 * (n * V + id) + 1] = Int32(t)
                    }
                }
            }
            start = end
        }
        top = (0..<H).map { n in
            var hits: [Hit] = []
            for id in 0..<V where best[n * V + id] > -.infinity {
                let k = 2 * (n * V + id)
                hits.append(Hit(window: Int(whereBest[k]), position: Int(whereBest[k + 1]), id: id, activation: best[n * V + id]))
            }
            hits.sort { ($0.activation, -$0.window, -$0.position) > ($1.activation, -$1.window, -$1.position) }
            return Array(hits.prefix(keep))
        }
    }

    /// Up to `before` tokens that precede `hit` in its window, then the hit's token.
    public func context(_ hit: Hit, before: Int) -> [Int] {
        Array(windows[hit.window][max(0, hit.position - before)...hit.position])
    }

    /// `count` windows of `length` tokens from `stream` at evenly spaced offsets (deterministic);
    /// when they would cover it anyway, the whole stream cut into consecutive windows (the last
    /// one shorter).
    public static func windows(of stream: [Int], length: Int, count: Int) -> [[Int]] {
        guard length > 0, count > 0, !stream.isEmpty else { return [] }
        if count * length >= stream.count {
            return stride(from: 0, to: stream.count, by: length).map { Array(stream[$0..<min(stream.count, $0 + length)]) }
        }
        let room = stream.count - length
        return (0..<count).map { i in
            let s = room * i / max(1, count - 1)
            return Array(stream[s..<(s + length)])
        }
    }
}
