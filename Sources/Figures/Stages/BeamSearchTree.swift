import TinyGPT

// Draws the tree `BeamSearch.run` (Sources/TinyGPT/Decoding/BeamSearch.swift) recorded: every
// hypothesis it kept, and the alternatives it pruned along the path it returned.

extension StageFigures {
    /// The kit's tree nodes for `tree` up to `depth` steps: kept and finished nodes, plus the
    /// pruned children of the best path's nodes (all pruned nodes would be too many to read).
    static func beamNodes(_ tree: TinyGPT.BeamTree, depth: Int, root: String, label: (Int) -> String) -> [BeamTree.Node] {
        // The best hypothesis so far: the search's answer once it is complete, else the
        // best-scoring live node of the deepest step shown (ties to the lower id).
        let deepest = min(depth, tree.nodes.map(\.step).max() ?? 0)
        let leader = tree.nodes.filter { $0.step == deepest && $0.status != .pruned }
            .min { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        var path = Set<Int>()
        var at = deepest == (tree.nodes.map(\.step).max() ?? 0) ? tree.best : (leader?.id ?? 0)
        path.insert(at)
        while let p = tree.nodes[at].parent { path.insert(p); at = p }
        return tree.nodes.filter { n in
            n.step <= depth && (n.status != .pruned || (n.parent.map(path.contains) ?? true))
        }.map { n in
            BeamTree.Node(id: n.id, parent: n.parent, token: n.token.map(label) ?? root, score: n.cumulative,
                          kept: n.status != .pruned, best: path.contains(n.id))
        }
    }

    /// The search tree left to right, one column per step, scores = cumulative log-probability.
    static func beamSearch(prompt: String, tree: TinyGPT.BeamTree, label: (Int) -> String, theme: Theme, words: Words) -> StageFigure {
        let steps = tree.nodes.map(\.step).max() ?? 0
        let nodes = beamNodes(tree, depth: steps, root: prompt, label: label)
        let best = tree.tokens(to: tree.best).map(label).joined()
        let pruned = tree.nodes.filter { $0.status == .pruned }.count
        let page = Page(theme: theme, title: words("束搜索：宽度 \(tree.width) 的搜索树", "Beam search: the search tree, width \(tree.width)"),
                        subtitle: words("每步保留累积 ln P 最高的 \(tree.width) 条；粗线：胜出的序列，细实线：其他保留的，虚线：剪掉的（只画胜出路径上的）；数字是累积 ln P",
                                        "each step keeps the \(tree.width) best; thick: the winner, thin: other kept beams, dashed: pruned (along the winner's path); numbers: cumulative ln P"))
        let kit = BeamTree(nodes: nodes, stepTitles: [words("提示", "prompt")] + (1...max(1, steps)).map { words("第 \($0) 步", "step \($0)") })
        let caption = words(
            "束搜索共考虑了 \(tree.nodes.count - 1) 个扩展，剪掉 \(pruned) 个；得分最高的是「\(prompt)\(best)」，累积 ln P = \(Num.fixed(tree.nodes[tree.best].cumulative))。",
            "Beam search considered \(tree.nodes.count - 1) expansions and pruned \(pruned); the best is \"\(prompt)\(best)\" with cumulative ln P = \(Num.fixed(tree.nodes[tree.best].cumulative)).")
        let alt = words("从左到右的搜索树，最佳路径：", "A search tree from left to right; the best path: ") + best
        return StageFigure(.beamTree, page: page, caption: caption, alt: alt, items: kit.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func beamGeneration(_ request: StageRequest, maxTokens: Int) throws(UserError) -> (ids: [Int], result: GenerationResult) {
        let ids = try generationPromptIDs(request)
        let o = options(request, GenerationOptions(strategy: .beam, beamWidth: 3, maxTokens: maxTokens))
        let g = try generation(ids, o)
        guard let tree = g.beams, tree.nodes.count > 1 else { throw UserError("stage beamTree: nothing was generated (the prompt fills the context)") }
        _ = tree.best
        return (ids, g)
    }

    func beamTreeFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let g = try beamGeneration(request, maxTokens: 6).result
        return StageFigures.beamSearch(prompt: request.prompt, tree: g.beams!, label: bundle.tokenizer.displayText, theme: theme, words: words)
    }
}
