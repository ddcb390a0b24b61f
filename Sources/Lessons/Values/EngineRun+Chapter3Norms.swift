import Foundation
import TinyGPT
import Figures

extension EngineRun {
    /// Ch. 3's block, step by step: the prompt's last token through block `layer` (`BlockSteps`),
    /// printed as figure 3.5 prints its bars.
    func blockSteps(trace: Trace, layer: Int) -> Chapter3Values.Block {
        let last = trace.ids.count - 1
        let b = BlockSteps(trace: trace, layer: layer, position: last)
        let show = StageFigures.blockNormText
        return Chapter3Values.Block(layer: layer, token: probe.show(trace.ids[last]), position: last,
                                    residIn: show(b.norm(.residIn)), ln1: show(b.norm(.ln1)), attnOut: show(b.norm(.attnOut)),
                                    mlpOut: show(b.norm(.mlpOut)), residOut: show(b.norm(.residOut)),
                                    mlpDominates: b.norm(.mlpOut) > b.norm(.residIn))
    }

    /// Ch. 3's LayerNorm section: every LayerNorm at the last token (`LayerNormNorms`), as the
    /// `layerNormNorms` figure prints it.
    func layerNormNorms(trace: Trace, blockLayer: Int) -> Chapter3Values.Norms {
        let n = LayerNormNorms(trace: trace, model: bundle.model, position: trace.ids.count - 1)
        let show = StageFigures.blockNormText, first = n.sites[0], outputs = n.sites.map(\.output)
        return .init(width: bundle.model.config.width, root: show(n.target), input: show(first.input), standardised: show(first.standardised),
                     output: show(first.output), smallest: show(outputs.min()!), largest: show(outputs.max()!), final: show(n.sites.last!.output),
                     sameAsBlock: blockLayer == 0, finalIsLargest: n.sites.last!.output == outputs.max()!)
    }

    /// Ch. 3's unembedding: the last position's h against every row of W_E (`Unembedding`), as the
    /// `unembedding` figure prints it.
    func unembedding(trace: Trace) -> Chapter3Values.Unembed {
        let last = trace.ids.count - 1
        let u = Unembedding(model: bundle.model, trace: trace, position: last)
        let top = u.top(2), show = StageFigures.unembeddingText
        return .init(token: probe.show(trace.ids[last]), vocabulary: bundle.model.config.vocabSize, top: probe.show(top[0].id),
                     logit: show(top[0].logit), hNorm: show(u.hNorm), eNorm: show(top[0].norm), cosine: show(top[0].cosine),
                     second: probe.show(top[1].id), secondLogit: show(top[1].logit))
    }
}
