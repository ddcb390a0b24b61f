/// Every intermediate tensor of one forward pass, by name.
///
/// Names are TransformerLens's hook names wherever TransformerLens has the same tensor, and
/// shapes are TransformerLens's without the batch axis (`pos` = prompt length T, `d_model` = C,
/// `head` = NH, `d_head` = HS, `d_mlp` = 4C, `d_vocab` = V). `TraceName.table` lists them all.
///
///     let trace = model.forward(ids, trace: true).trace!
///     let pattern = trace[TraceName.pattern(layer: 0)]!   // [head, query_pos, key_pos]
public struct Trace: Sendable {
    /// The token ids that were fed in.
    public var ids: [Int]
    public var tensors: [String: Tensor]

    public init(ids: [Int], tensors: [String: Tensor] = [:]) {
        self.ids = ids
        self.tensors = tensors
    }

    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set { tensors[name] = newValue }
    }

    /// Names in `TraceName.table` order (then any others, sorted), so exports are deterministic.
    public var orderedNames: [String] {
        let known = TraceName.all(layers: layerCount).filter { tensors[$0] != nil }
        let knownSet = Set(known)
        let rest = tensors.keys.filter { !knownSet.contains($0) }.sorted()
        return known + rest
    }

    private var layerCount: Int {
        var l = 0
        while tensors[TraceName.residPre(layer: l)] != nil { l += 1 }
        return l
    }
}

/// The one table of trace names and shapes. `(TL)` marks TransformerLens's own names;
/// the others are ours, for tensors TransformerLens does not hook.
///
/// | name | shape | what it is |
/// |---|---|---|
/// | `hook_embed` (TL) | [pos, d_model] | rows of W_E for the prompt's tokens |
/// | `hook_pos_embed` (TL) | [pos, d_model] | learned or sinusoidal position vectors (absent for rope) |
/// | `blocks.{l}.hook_resid_pre` (TL) | [pos, d_model] | residual stream entering block l |
/// | `blocks.{l}.ln1.hook_mean` | [pos] | LayerNorm mean of each position |
/// | `blocks.{l}.ln1.hook_scale` (TL) | [pos, 1] | LayerNorm standard deviation sqrt(var + eps) |
/// | `blocks.{l}.ln1.hook_normalized` (TL) | [pos, d_model] | LayerNorm output (after gain and bias) |
/// | `blocks.{l}.attn.hook_q|hook_k|hook_v` (TL) | [pos, head, d_head] | per-head queries, keys, values |
/// | `blocks.{l}.attn.hook_rot_q|hook_rot_k` (TL) | [pos, head, d_head] | q and k after the RoPE rotation (rope only) |
/// | `blocks.{l}.attn.hook_attn_scores_unmasked` | [head, query_pos, key_pos] | q·k/√d_head for every pair, before the mask |
/// | `blocks.{l}.attn.hook_attn_scores` (TL) | [head, query_pos, key_pos] | the same with −∞ above the diagonal |
/// | `blocks.{l}.attn.hook_pattern` (TL) | [head, query_pos, key_pos] | softmax of the masked scores |
/// | `blocks.{l}.attn.hook_z` (TL) | [pos, head, d_head] | pattern · V, per head |
/// | `blocks.{l}.attn.hook_result` (TL) | [pos, head, d_model] | each head's contribution through its rows of W_O |
/// | `blocks.{l}.hook_attn_out` (TL) | [pos, d_model] | attention output: Σ heads' results + b_O |
/// | `blocks.{l}.hook_resid_mid` (TL) | [pos, d_model] | residual after attention |
/// | `blocks.{l}.ln2.hook_mean|hook_scale|hook_normalized` | as ln1 | second LayerNorm |
/// | `blocks.{l}.mlp.hook_pre` (TL) | [pos, d_mlp] | MLP input projection, before GELU |
/// | `blocks.{l}.mlp.hook_post` (TL) | [pos, d_mlp] | after GELU |
/// | `blocks.{l}.hook_mlp_out` (TL) | [pos, d_model] | MLP output |
/// | `blocks.{l}.hook_resid_post` (TL) | [pos, d_model] | residual leaving block l |
/// | `ln_final.hook_mean|hook_scale|hook_normalized` | as ln1 | final LayerNorm |
/// | `unembed.hook_out` (TL) | [pos, d_vocab] | logits |
/// | `unembed.hook_probs` | [pos, d_vocab] | softmax of the logits |
public enum TraceName {
    public static let embed = "hook_embed"
    public static let posEmbed = "hook_pos_embed"
    public static let logits = "unembed.hook_out"
    public static let probs = "unembed.hook_probs"

    static func block(_ l: Int, _ s: String) -> String { "blocks.\(l).\(s)" }
    public static func residPre(layer l: Int) -> String { block(l, "hook_resid_pre") }
    public static func lnMean(layer l: Int, _ n: Int) -> String { block(l, "ln\(n).hook_mean") }
    public static func lnScale(layer l: Int, _ n: Int) -> String { block(l, "ln\(n).hook_scale") }
    public static func lnNormalized(layer l: Int, _ n: Int) -> String { block(l, "ln\(n).hook_normalized") }
    public static func q(layer l: Int) -> String { block(l, "attn.hook_q") }
    public static func k(layer l: Int) -> String { block(l, "attn.hook_k") }
    public static func v(layer l: Int) -> String { block(l, "attn.hook_v") }
    public static func rotQ(layer l: Int) -> String { block(l, "attn.hook_rot_q") }
    public static func rotK(layer l: Int) -> String { block(l, "attn.hook_rot_k") }
    public static func scoresUnmasked(layer l: Int) -> String { block(l, "attn.hook_attn_scores_unmasked") }
    public static func scores(layer l: Int) -> String { block(l, "attn.hook_attn_scores") }
    public static func pattern(layer l: Int) -> String { block(l, "attn.hook_pattern") }
    public static func z(layer l: Int) -> String { block(l, "attn.hook_z") }
    public static func result(layer l: Int) -> String { block(l, "attn.hook_result") }
    public static func attnOut(layer l: Int) -> String { block(l, "hook_attn_out") }
    public static func residMid(layer l: Int) -> String { block(l, "hook_resid_mid") }
    public static func mlpPre(layer l: Int) -> String { block(l, "mlp.hook_pre") }
    public static func mlpPost(layer l: Int) -> String { block(l, "mlp.hook_post") }
    public static func mlpOut(layer l: Int) -> String { block(l, "hook_mlp_out") }
    public static func residPost(layer l: Int) -> String { block(l, "hook_resid_post") }
    public static let lnFinalMean = "ln_final.hook_mean"
    public static let lnFinalScale = "ln_final.hook_scale"
    public static let lnFinalNormalized = "ln_final.hook_normalized"

    /// `all(layers:).count`, without building the names.
    public static func count(layers: Int) -> Int { 7 + 23 * layers }

    /// Every name a trace of an `layers`-block model may hold, in data-flow order.
    public static func all(layers: Int) -> [String] {
        var names = [embed, posEmbed]
        for l in 0..<layers {
            names += [residPre(layer: l), lnMean(layer: l, 1), lnScale(layer: l, 1), lnNormalized(layer: l, 1),
                      q(layer: l), k(layer: l), v(layer: l), rotQ(layer: l), rotK(layer: l),
                      scoresUnmasked(layer: l), scores(layer: l), pattern(layer: l), z(layer: l),
                      result(layer: l), attnOut(layer: l), residMid(layer: l),
                      lnMean(layer: l, 2), lnScale(layer: l, 2), lnNormalized(layer: l, 2),
                      mlpPre(layer: l), mlpPost(layer: l), mlpOut(layer: l), residPost(layer: l)]
        }
        names += [lnFinalMean, lnFinalScale, lnFinalNormalized, logits, probs]
        return names
    }
}
