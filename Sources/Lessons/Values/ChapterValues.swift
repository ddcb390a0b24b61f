import TinyGPT
/// The measured values of every chapter. Each chapter's struct is bound in its template as
/// `chN` (`{{ch4.next.top1.token}}`); property names are the Mustache keys. Numbers are
/// preformatted text (see `Format`), tokens and prompts are already inline code, so templates
/// only place them. An optional that is `nil` binds as `false`, for `{{^…}}` sections.
public struct RunValues {
    public var ch1: Chapter1Values
    public var ch2: Chapter2Values
    public var ch3: Chapter3Values
    public var ch4: Chapter4Values
    public var ch5: Chapter5Values
    public var ch6: Chapter6Values
    public var ch7: Chapter7Values
    public var ch8: Chapter8Values
    public var ch9: Chapter9Values
    public var ch10: Chapter10Values
    public var ch11: Chapter11Values
    public var ch12: Chapter12Values
    public var ch13: Chapter13Values
    public var ch14: Chapter14Values

    /// All chapters.
    public init(ch1: Chapter1Values, ch2: Chapter2Values, ch3: Chapter3Values, ch4: Chapter4Values,
                ch5: Chapter5Values, ch6: Chapter6Values, ch7: Chapter7Values, ch8: Chapter8Values,
                ch9: Chapter9Values, ch10: Chapter10Values, ch11: Chapter11Values, ch12: Chapter12Values,
                ch13: Chapter13Values, ch14: Chapter14Values) {
        self.ch1 = ch1; self.ch2 = ch2; self.ch3 = ch3; self.ch4 = ch4; self.ch5 = ch5; self.ch6 = ch6
        self.ch7 = ch7; self.ch8 = ch8; self.ch9 = ch9; self.ch10 = ch10; self.ch11 = ch11; self.ch12 = ch12
        self.ch13 = ch13; self.ch14 = ch14
    }

    /// A figure of this stage has nothing to draw for this model (its experiment has not been run),
    /// so the lesson leaves it out and says how to run the experiment instead.
    public func lacksData(forStage stage: String) -> Bool {
        switch stage {
        case "fineTuneShift": ch2.fineTune == nil
        case "scalingLaw": ch10.scalingSlope == nil
        default: false
        }
    }

    /// The values of chapter `n` (1…14).
    func chapter(_ n: Int) -> Any {
        [ch1, ch2, ch3, ch4, ch5, ch6, ch7, ch8, ch9, ch10, ch11, ch12, ch13, ch14][n - 1]
    }
}

// MARK: Shared pieces

/// One candidate next token.
public struct TokenProb {
    /// 1 = most probable.
    public var rank: Int
    /// Inline code of the token's display text.
    public var token: String
    public var id: Int
    /// `0.412`
    public var prob: String
    /// `41.2%`
    public var percent: String
    public init(rank: Int, token: String, id: Int, prob: String, percent: String) {
        self.rank = rank; self.token = token; self.id = id; self.prob = prob; self.percent = percent
    }
}

/// A next-token distribution for one prompt.
public struct Distribution {
    /// Inline code of the prompt.
    public var prompt: String
    /// The k most probable tokens, best first.
    public var top: [TokenProb]
    public var top1: TokenProb
    /// k
    public var k: Int
    /// Probability mass of the k shown tokens (`87.0%`).
    public var topMass: String
    public init(prompt: String, top: [TokenProb], top1: TokenProb, k: Int, topMass: String) {
        self.prompt = prompt; self.top = top; self.top1 = top1; self.k = k; self.topMass = topMass
    }
}

/// A prompt and what the model wrote after it.
public struct Continuation {
    /// Inline code of the prompt.
    public var prompt: String
    /// Inline code of the generated part.
    public var continuation: String
    /// Fenced block with prompt + continuation.
    public var block: String
    /// Tokens generated (a final end-of-text token included).
    public var newTokens: Int
    /// The model ended the text itself with its end-of-text token (not printed in `block`).
    public var endedWithEnd: Bool
    public init(prompt: String, continuation: String, block: String, newTokens: Int, endedWithEnd: Bool = false) {
        self.prompt = prompt; self.continuation = continuation; self.block = block; self.newTokens = newTokens
        self.endedWithEnd = endedWithEnd
    }
}

/// One generated or scored token.
public struct TokenStep {
    /// 1-based.
    public var step: Int
    public var token: String
    /// Its probability when it was chosen/scored.
    public var prob: String
    /// ln of that probability.
    public var logProb: String
    public init(step: Int, token: String, prob: String, logProb: String) {
        self.step = step; self.token = token; self.prob = prob; self.logProb = logProb
    }
}

/// A head by position, with the statistic that put it in a list.
public struct HeadRef {
    public var layer: Int
    public var head: Int
    /// The statistic, formatted.
    public var score: String
    public init(layer: Int, head: Int, score: String) { self.layer = layer; self.head = head; self.score = score }
}

// MARK: Chapters

/// Ch. 1: P(w_t | w_<t) for one prompt.
public struct Chapter1Values {
    public var next: Distribution
    public init(next: Distribution) { self.next = next }
}

/// Ch. 2: a training window, the loss curve, a fine-tuning run.
public struct Chapter2Values {
    /// One (input, target) pair per position of a window.
    public struct Pair { public var position: Int; public var input: String; public var target: String
        public init(position: Int, input: String, target: String) { self.position = position; self.input = input; self.target = target } }
    public struct Window { public var text: String; public var length: Int; public var pairs: [Pair]
        public init(text: String, length: Int, pairs: [Pair]) { self.text = text; self.length = length; self.pairs = pairs } }
    public struct Loss {
        public var steps: Int
        /// Loss at step 0 and the last step (train).
        public var first: String
        public var last: String
        /// Last validation loss, if validation was run.
        public var lastVal: String?
        /// ln V: the loss of a model that guesses uniformly.
        public var uniform: String
        /// The batches mixed in rows of repeated random tokens (`repeat_fraction`): `first` and `last`
        /// are then the loss on the corpus rows alone, and `mixedShare` is the share of the other rows.
        public var mixed = false
        public var mixedShare = "0%"
        public init(steps: Int, first: String, last: String, lastVal: String?, uniform: String) {
            self.steps = steps; self.first = first; self.last = last; self.lastVal = lastVal; self.uniform = uniform }
    }
    public struct FineTune {
        public var prompt: String
        /// The token the fine-tuning data teaches after the prompt.
        public var target: String
        public var steps: Int
        public var examples: Int
        /// P(target | prompt) before and after.
        public var before: String
        public var after: String
        public var beforeTop1: TokenProb
        public var afterTop1: TokenProb
        /// after > before
        public var rose: Bool
        /// The experiment fed the prompt after `<|endoftext|>` (as chapter 4 does) or on its own.
        public var atDocumentStart: Bool
        public init(prompt: String, target: String, steps: Int, examples: Int, before: String, after: String,
                    beforeTop1: TokenProb, afterTop1: TokenProb, rose: Bool, atDocumentStart: Bool = false) {
            self.atDocumentStart = atDocumentStart
            self.prompt = prompt; self.target = target; self.steps = steps; self.examples = examples; self.before = before
            self.after = after; self.beforeTop1 = beforeTop1; self.afterTop1 = afterTop1; self.rose = rose }
    }
    /// The model at one snapshot (`TrainingSnapshots`): held-out loss, P(candidate | prompt) per candidate, greedy text.
    public struct Snapshot {
        /// One printed probability (a struct, so the template's lookup of `p` is recorded).
        public struct Prob { public var p: String; public init(_ p: String) { self.p = p } }
        public var step: Int
        public var loss: String
        public var probs: [Prob]
        /// Total variation distance between the model's next-token distribution and the corpus's
        /// (½ Σ over the vocabulary of |p − share|; 0 is the same, 1 disjoint).
        public var distance: String
        public var text: String
        public init(step: Int, loss: String, probs: [Prob], distance: String, text: String) {
            self.step = step; self.loss = loss; self.probs = probs; self.distance = distance; self.text = text }
    }
    /// The model while it trained, seen through one prompt, against what the corpus writes after it.
    public struct Snapshots {
        /// One continuation the corpus writes after the prompt, and its share of them all.
        public struct Split { public var token: String; public var share: String
            public init(token: String, share: String) { self.token = token; self.share = share } }
        public var prompt: String
        /// The continuations the figure follows, most frequent first.
        public var split: [Split]
        public var size: Int
        /// Places the corpus continues the prompt.
        public var occurrences: Int
        public var rows: [Snapshot]
        /// `0, 50, 150, …` (the rows' steps).
        public var steps: String
        public var first: Snapshot
        public var last: Snapshot
        /// The snapshot closest to the corpus split.
        public var closest: Snapshot
        /// The trained model is not the closest one: training went past the split.
        public var overshot: Bool
        /// The held-out loss is lower at the last step than at the closest one.
        public var lossFell: Bool
        /// The corpus continues the prompt, so there is a split to compare with (else `split` holds the
        /// trained model's top tokens with no share, and the distances are "—").
        public var inCorpus: Bool
        public var layer: Int
        public var head: Int
        /// At step 0, the largest distance of any attention weight of that head from an even split of its row.
        public var initialSpread: String
        /// When chapter 6's rule labels the drawn head a previous-token head: its mean weight on the
        /// previous token over chapter 6's held-out windows (the same measurement). Else nil.
        public var previousHead: String?
        public init(prompt: String, split: [Split], occurrences: Int, rows: [Snapshot], closest: Snapshot, lossFell: Bool,
                    layer: Int, head: Int, initialSpread: String, inCorpus: Bool = true) {
            self.inCorpus = inCorpus
            self.prompt = prompt; self.split = split; self.size = split.count; self.occurrences = occurrences; self.rows = rows
            self.steps = rows.map { String($0.step) }.joined(separator: ", ")
            self.first = rows.first!; self.last = rows.last!; self.closest = closest; self.overshot = closest.step != rows.last!.step
            self.lossFell = lossFell; self.layer = layer; self.head = head; self.initialSpread = initialSpread }
    }
    public var window: Window
    public var loss: Loss
    /// The fine-tuning experiment; nil when `experiments/finetune.json` does not exist for this model.
    public var fineTune: FineTune?
    /// The fine-tuning experiment has been run (a flag for `{{#…}}` sections: a section over the
    /// struct itself would make the lookups inside it start in the struct).
    public var fineTuneRun: Bool
    /// Inline code of the command that runs the fine-tuning experiment for this model.
    public var fineTuneCommand: String
    public var snapshots: Snapshots
    public init(window: Window, loss: Loss, fineTune: FineTune?, fineTuneCommand: String = "", snapshots: Snapshots) {
        self.window = window; self.loss = loss; self.fineTune = fineTune; self.fineTuneRun = fineTune != nil; self.fineTuneCommand = fineTuneCommand; self.snapshots = snapshots }
}

/// Ch. 3: dimensions, embedding rows, positions, one block.
public struct Chapter3Values {
    public struct EmbeddingRow {
        public var position: Int; public var token: String; public var id: Int
        /// First few components, `0.12, −0.40, …`.
        public var preview: String
        /// L2 norm of the row.
        public var norm: String
        public init(position: Int, token: String, id: Int, preview: String, norm: String) {
            self.position = position; self.token = token; self.id = id; self.preview = preview; self.norm = norm }
    }
    public struct Rope {
        /// Position and pair index shown.
        public var position: Int
        public var pair: Int
        /// Rotation angle θ = position · 10000^(−2·pair/HS), radians.
        public var angle: String
        public init(position: Int, pair: Int, angle: String) { self.position = position; self.pair = pair; self.angle = angle }
    }
    public struct Block {
        public var layer: Int
        /// The token read (the prompt's last) and its position: figure 3.5 draws that token's vectors.
        public var token: String
        public var position: Int
        /// L2 norms (`BlockSteps.norms`, printed as the figure prints them) of that token's residual entering,
        /// LN₁ output, attention output, MLP output, residual leaving.
        public var residIn: String
        public var ln1: String
        public var attnOut: String
        public var mlpOut: String
        public var residOut: String
        /// The MLP output is longer than the residual entering the block (the block rewrites more than it keeps).
        public var mlpDominates: Bool
        /// The block is the first one (the sentence about "this first block" is true only then).
        public var isFirst: Bool
        public init(layer: Int, token: String = "", position: Int = 0, residIn: String, ln1: String = "", attnOut: String, mlpOut: String,
                    residOut: String, mlpDominates: Bool = false) {
            self.layer = layer; self.token = token; self.position = position; self.residIn = residIn; self.ln1 = ln1
            self.attnOut = attnOut; self.mlpOut = mlpOut; self.residOut = residOut
            self.mlpDominates = mlpDominates; isFirst = layer == 0 }
    }
    /// What the LayerNorms do to the last token's length (`LayerNormNorms`, the numbers the `layerNormNorms` figure draws).
    public struct Norms {
        /// C and √C.
        public var width: Int
        public var root: String
        /// Block 0's LN1: the length it receives, of z = (x − μ)/σ, of γ ⊙ z + β.
        public var input: String
        public var standardised: String
        public var output: String
        /// The shortest and longest output over every LayerNorm, and ln_f's output.
        public var smallest: String
        public var largest: String
        public var final: String
        /// Figure 3.5 shows block 0 too, so its LN1 bar is `output`.
        public var sameAsBlock: Bool
        /// ln_f's output is the longest of all.
        public var finalIsLargest: Bool
        public init(width: Int, root: String, input: String, standardised: String, output: String, smallest: String, largest: String,
                    final: String, sameAsBlock: Bool, finalIsLargest: Bool = false) {
            self.finalIsLargest = finalIsLargest
            self.width = width; self.root = root; self.input = input; self.standardised = standardised; self.output = output
            self.smallest = smallest; self.largest = largest; self.final = final; self.sameAsBlock = sameAsBlock }
    }
    /// The unembedding at the last position (`Unembedding`, the numbers the `unembedding` figure draws).
    public struct Unembed {
        public var token: String
        /// Vocabulary size: how many dot products.
        public var vocabulary: Int
        /// The highest-scoring row: its token, h·e, ‖h‖, ‖e‖, cos θ.
        public var top: String
        public var logit: String
        public var hNorm: String
        public var eNorm: String
        public var cosine: String
        /// The runner-up and its logit.
        public var second: String
        public var secondLogit: String
        public init(token: String, vocabulary: Int, top: String, logit: String, hNorm: String, eNorm: String, cosine: String,
                    second: String, secondLogit: String) {
            self.token = token; self.vocabulary = vocabulary; self.top = top; self.logit = logit; self.hNorm = hNorm; self.eNorm = eNorm
            self.cosine = cosine; self.second = second; self.secondLogit = secondLogit }
    }
    public var prompt: String
    public var rows: [EmbeddingRow]
    /// Which encoding our model uses.
    public var learned: Bool
    public var sinusoidal: Bool
    public var rope: Bool
    /// The logit lens at the prompt's last position (`LogitLens`, the same numbers as the `logitLens` figure).
    public struct Lens {
        public struct Depth {
            /// 0 = the embedding, l + 1 = after block l.
            public var depth: Int
            public var isEmbedding: Bool
            /// The block this depth follows (depth − 1; 0 for the embedding).
            public var block: Int
            /// Top-1 token there and its probability.
            public var token: String
            public var prob: String
            public init(depth: Int, token: String, prob: String) {
                self.depth = depth; isEmbedding = depth == 0; block = max(0, depth - 1); self.token = token; self.prob = prob }
        }
        /// The last prompt token (the position read out).
        public var last: String
        public var depths: [Depth]
        /// The model's own top-1 (the last depth).
        public var final: Depth
        /// The first depth from which the top-1 is the final one for good.
        public var settled: Depth
        /// The top-1 only becomes the final one after the last block.
        public var settledLast: Bool
        /// The embedding's top-1 is the input token itself (the unembedding is tied to the embedding).
        public var embeddingEchoes: Bool
        public init(last: String, depths: [Depth], settled: Int, embeddingEchoes: Bool) {
            self.last = last; self.depths = depths; final = depths[depths.count - 1]; self.settled = depths[settled]
            settledLast = settled == depths.count - 1; self.embeddingEchoes = embeddingEchoes }
    }
    /// One block's MLP neurons on the prompt and over training text (`MLPActivations`, `NeuronScan`:
    /// the same numbers as the `mlpActivations` figure).
    public struct MLP {
        public var layer: Int
        /// Width C, hidden width 4C, and the factor between them.
        public var width: Int
        public var hidden: Int
        public var factor: Int
        /// Prompt tokens, and activations drawn (tokens × hidden, grouped).
        public var tokens: Int
        public var cells: String
        /// Share of activations above 0, and the smallest one.
        public var positive: String
        public var minimum: String
        /// The neuron with the largest activation on the prompt, that activation and the token there.
        public var neuron: Int
        public var peak: String
        public var peakToken: String
        /// The training token that drives that neuron highest, and its activation.
        public var corpusToken: String
        public var corpusPeak: String
        /// Training tokens scanned (grouped) and the windows they came in.
        public var scanned: String
        public var windows: Int
        /// How many of the strongest neurons the figure lists.
        public var shown: Int
        public init(layer: Int, width: Int, tokens: Int, positive: String, minimum: String, neuron: Int, peak: String, peakToken: String,
                    corpusToken: String, corpusPeak: String, scanned: Int, windows: Int, shown: Int) {
            self.shown = shown
            self.layer = layer; self.width = width; hidden = 4 * width; factor = 4; self.tokens = tokens
            cells = Format.grouped(tokens * 4 * width); self.positive = positive; self.minimum = minimum
            self.neuron = neuron; self.peak = peak; self.peakToken = peakToken; self.corpusToken = corpusToken; self.corpusPeak = corpusPeak
            self.scanned = Format.grouped(scanned); self.windows = windows }
    }
    public var ropeExample: Rope
    public var block: Block
    public var lens: Lens
    public var mlp: MLP
    public var norms: Norms
    public var unembed: Unembed
    public init(prompt: String, rows: [EmbeddingRow], learned: Bool, sinusoidal: Bool, rope: Bool, ropeExample: Rope, block: Block,
                lens: Lens, mlp: MLP, norms: Norms, unembed: Unembed) {
        self.prompt = prompt; self.rows = rows; self.learned = learned; self.sinusoidal = sinusoidal; self.rope = rope
        self.ropeExample = ropeExample; self.block = block; self.lens = lens; self.mlp = mlp; self.norms = norms; self.unembed = unembed }
}

/// Ch. 4: next-token distribution, code continuation, chain rule, embedding geometry.
public struct Chapter4Values {
    /// One of the primer's illustrative words, with how often it follows the prompt in our
    /// corpus and what our model gives it.
    public struct PrimerWord {
        public var word: String
        /// The primer's illustrative probability for the word (`0.4`).
        public var primerProb: String
        /// True if the word is one token for our tokenizer (otherwise prob/rank are for its first token).
        public var singleToken: Bool
        public var prob: String
        public var rank: Int
        /// Times the prompt is followed by the word in the corpus, and that count's share of the prompt's occurrences.
        public var corpusCount: Int
        public var corpusShare: String
        /// The model's probability and the corpus share as numbers (`prob` and `corpusShare` print them).
        public var modelProbability: Double
        public var corpusProbability: Double
        /// The model gives the word more than its corpus share.
        public var above: Bool
        public init(word: String, primerProb: String, singleToken: Bool, prob: String, rank: Int,
                    corpusCount: Int = 0, corpusShare: String = "", modelProbability: Double = 0, corpusProbability: Double = 0) {
            self.word = word; self.primerProb = primerProb; self.singleToken = singleToken; self.prob = prob; self.rank = rank
            self.corpusCount = corpusCount; self.corpusShare = corpusShare
            self.modelProbability = modelProbability; self.corpusProbability = corpusProbability
            self.above = modelProbability > corpusProbability }
    }
    /// The corpus's own split after the prompt (`ContinuationCounts`, the value the `next` figure draws).
    public struct Corpus {
        public var split: ContinuationCounts
        /// `4:3:2:1`, the counts over their greatest common divisor.
        public var ratio: String
        /// Occurrences of the prompt in the corpus, and those followed by none of the words.
        public var total: Int
        public var other: Int
        /// Some occurrences continue with none of the words.
        public var hasOther: Bool
        /// The corpus contains the prompt at all (a teacher's own corpus may not).
        public var occurs: Bool
        /// The corpus's split is the primer's (`primer`, e.g. 4:3:2:1) and nothing else follows: our corpus was written so.
        public var matchesPrimer: Bool
        public init(split: ContinuationCounts, primer: [Int] = [4, 3, 2, 1]) {
            self.hasOther = split.other > 0
            self.occurs = split.total > 0
            self.matchesPrimer = split.total > 0 && split.other == 0 && split.ratio == primer
            self.split = split
            self.ratio = split.ratio.map(String.init).joined(separator: ":")
            self.total = split.total
            self.other = split.other
        }
    }
    public struct Chain {
        public var sentence: String
        /// Tokens after the first, each with P(token | tokens before it).
        public var steps: [TokenStep]
        /// Product of the step probabilities and its log.
        public var product: String
        public var logSum: String
        public init(sentence: String, steps: [TokenStep], product: String, logSum: String) {
            self.sentence = sentence; self.steps = steps; self.product = product; self.logSum = logSum }
    }
    public struct PCA {
        public var tokens: Int
        /// Variance of the embeddings explained by the two components shown.
        public var explained: String
        public init(tokens: Int, explained: String) { self.tokens = tokens; self.explained = explained }
    }
    public var next: Distribution
    public var primerWords: [PrimerWord]
    public var corpus: Corpus
    public var code: Continuation
    public var chain: Chain
    public var pca: PCA
    /// The model ranks the primer's words in the same order as their corpus counts.
    public var sameOrderAsCorpus: Bool
    public init(next: Distribution, primerWords: [PrimerWord], corpus: Corpus, code: Continuation, chain: Chain, pca: PCA) {
        self.next = next; self.primerWords = primerWords; self.corpus = corpus; self.code = code; self.chain = chain; self.pca = pca
        let byModel = primerWords.indices.sorted { primerWords[$0].modelProbability > primerWords[$1].modelProbability }
        let byCorpus = primerWords.indices.sorted { primerWords[$0].corpusProbability > primerWords[$1].corpusProbability }
        self.sameOrderAsCorpus = byModel == byCorpus }
}

/// Ch. 5: one head's scores, masked scores and weights, cell by cell.
public struct Chapter5Values {
    public struct Row {
        public var query: String
        /// One cell per key position (masked cells read −∞ / 0.000).
        public var scores: [String]
        public var masked: [String]
        public var weights: [String]
        /// The same cells joined by spaces, as the lesson prints them (one binding per row).
        public var scoresLine: String
        public var maskedLine: String
        public var weightsLine: String
        public init(query: String, scores: [String], masked: [String], weights: [String]) {
            self.query = query; self.scores = scores; self.masked = masked; self.weights = weights
            scoresLine = scores.joined(separator: " "); maskedLine = masked.joined(separator: " "); weightsLine = weights.joined(separator: " ") }
    }
    public var prompt: String
    public var layer: Int
    public var head: Int
    public var tokens: [String]
    public var rows: [Row]
    /// Weights of the second row on positions 1 and 2 (w21, w22).
    public var w21: String
    public var w22: String
    /// Mean share of attention that would go to later positions if the mask were removed.
    public var futureShare: String
    /// x·W_QKV cut into q, k, v and heads (`QKVProjection`, the numbers the `qkvProjection` figure draws).
    public struct Projection {
        public var layer: Int
        public var head: Int
        /// C, 3C, heads, head width, and head `head`'s columns (`0–15`).
        public var width: Int
        public var triple: Int
        public var heads: Int
        public var headSize: Int
        public var columns: String
        /// Positions, the query and key tokens of the example product, and q·k before dividing.
        public var positions: Int
        public var query: String
        public var key: String
        public var dot: String
        public init(layer: Int, head: Int, width: Int, heads: Int, headSize: Int, positions: Int, query: String, key: String, dot: String) {
            self.layer = layer; self.head = head; self.width = width; triple = 3 * width; self.heads = heads; self.headSize = headSize
            columns = "\(head * headSize)–\(head * headSize + headSize - 1)"
            self.positions = positions; self.query = query; self.key = key; self.dot = dot }
    }
    /// Why divide by √d_k (`ScoreScaling`, the numbers the `scoreScaling` figure draws): means over the heads.
    public struct Scaling {
        public var prompt: String
        public var tokens: Int
        public var layer: Int
        /// Kept (i, j ≤ i) pairs per head; d_k and √d_k.
        public var pairs: Int
        public var headSize: Int
        public var root: String
        public var rawVariance: String
        public var scaledVariance: String
        /// Mean largest softmax weight of a row, without and with the division.
        public var rawPeak: String
        public var scaledPeak: String
        public init(prompt: String, tokens: Int, layer: Int, pairs: Int, headSize: Int, root: String, rawVariance: String, scaledVariance: String,
                    rawPeak: String, scaledPeak: String) {
            self.prompt = prompt; self.tokens = tokens; self.layer = layer; self.pairs = pairs; self.headSize = headSize; self.root = root
            self.rawVariance = rawVariance; self.scaledVariance = scaledVariance; self.rawPeak = rawPeak; self.scaledPeak = scaledPeak }
    }
    public var projection: Projection
    public var scaling: Scaling
    public init(prompt: String, layer: Int, head: Int, tokens: [String], rows: [Row], w21: String, w22: String, futureShare: String,
                projection: Projection, scaling: Scaling) {
        self.prompt = prompt; self.layer = layer; self.head = head; self.tokens = tokens; self.rows = rows
        self.w21 = w21; self.w22 = w22; self.futureShare = futureShare; self.projection = projection; self.scaling = scaling }
}

/// Ch. 6: measured head behaviour.
public struct Chapter6Values {
    public struct Head {
        public var layer: Int
        public var head: Int
        /// Mean attention to the previous token, to the first token, to itself; mean entropy as a share of its maximum.
        public var previous: String
        public var first: String
        public var selfWeight: String
        public var entropy: String
        /// Exactly one of these is true.
        public var isPrevious: Bool
        public var isFirst: Bool
        public var isSelf: Bool
        public var isDiffuse: Bool
        public var isMixed: Bool
        /// The induction score on repeated random tokens and the same offset without a repeat.
        public var induction: String = ""
        public var inductionBaseline: String = ""
        /// The induction score exceeds `HeadStatistics.inductionThreshold`.
        public var isInduction: Bool = false
        public init(layer: Int, head: Int, previous: String, first: String, selfWeight: String, entropy: String,
                    isPrevious: Bool, isFirst: Bool, isSelf: Bool, isDiffuse: Bool, isMixed: Bool) {
            self.layer = layer; self.head = head; self.previous = previous; self.first = first; self.selfWeight = selfWeight
            self.entropy = entropy; self.isPrevious = isPrevious; self.isFirst = isFirst; self.isSelf = isSelf
            self.isDiffuse = isDiffuse; self.isMixed = isMixed }
    }
    /// A head's induction score beside its baseline.
    public struct InductionRef {
        public var layer: Int
        public var head: Int
        public var score: String
        public var baseline: String
        public init(layer: Int, head: Int, score: String, baseline: String) {
            self.layer = layer; self.head = head; self.score = score; self.baseline = baseline }
    }
    /// How the induction score was measured: `sequences` random sequences of `length` tokens
    /// (`<|endoftext|>`, then n = `half` random tokens, then the same n again; the baseline's
    /// second half is n fresh tokens), `rows` query rows per head and kind.
    public struct InductionSetup {
        public var sequences: Int
        public var half: Int
        public var length: Int
        public var rows: Int
        /// n − 1: how far back the key an induction head reads sits.
        public var offset: Int
        public var threshold: String
        public init(sequences: Int, half: Int, length: Int, rows: Int, offset: Int, threshold: String) {
            self.sequences = sequences; self.half = half; self.length = length; self.rows = rows; self.offset = offset; self.threshold = threshold }
    }
    /// Heads whose induction score exceeds the threshold, and the strongest head, labelled or not.
    public var inductionHeads: [InductionRef] = []
    /// Some head's induction score exceeds the threshold.
    public var hasInduction = false
    /// The strongest head's score is within `inductionMargin` of its baseline: repeating changes nothing measurable.
    public var inductionLikeBaseline = false
    public var inductionMargin = Format.fixed(HeadStatistics.inductionMargin, 2)
    public var strongestInduction = InductionRef(layer: 0, head: 0, score: "", baseline: "")
    public var inductionSetup = InductionSetup(sequences: 0, half: 0, length: 0, rows: 0, offset: 0, threshold: "")
    /// The training config's `repeat_fraction`: the share of each batch's rows that were random
    /// tokens repeated (the probe's kind of sequence), as a percentage; `trainedOnRepeats` when above 0.
    public var repeatShare = "0%"
    public var trainedOnRepeats = false
    /// Some previous-token head sits in a lower layer than some induction head: the two-head
    /// circuit (the earlier head marks each position with its previous token, the later one matches it).
    public var previousFeedsInduction = false
    /// Some head is labelled a previous-token head.
    public var hasPreviousHead = false
    public var prompt: String
    /// The statistics are means over this many validation windows of `windowLength` tokens (`rows` pattern rows per head).
    public var windows: Int
    public var windowLength: Int
    public var rows: Int
    public var heads: [Head]
    public var previousHeads: [HeadRef]
    public var firstHeads: [HeadRef]
    public var selfHeads: [HeadRef]
    public var diffuseHeads: [HeadRef]
    /// The share a head must put on one kind of position to be labelled (`0.5`), and the entropy ratio for diffuse.
    public var threshold: String
    public var diffuseThreshold: String
    /// The head with the most weight on the previous token, labelled or not.
    public var strongestPrevious: HeadRef
    /// The weight one key would get under uniform attention over the same rows.
    public var uniformShare: String
    /// Every head puts more than `uniformShare` on the previous token.
    public var allPreferPrevious: Bool
    public init(prompt: String, windows: Int, windowLength: Int, rows: Int, heads: [Head], previousHeads: [HeadRef], firstHeads: [HeadRef], selfHeads: [HeadRef],
                diffuseHeads: [HeadRef], threshold: String, diffuseThreshold: String, strongestPrevious: HeadRef, uniformShare: String,
                inductionHeads: [InductionRef] = [], strongestInduction: InductionRef = .init(layer: 0, head: 0, score: "", baseline: ""),
                inductionLikeBaseline: Bool = false,
                inductionSetup: InductionSetup = .init(sequences: 0, half: 0, length: 0, rows: 0, offset: 0, threshold: "")) {
        self.inductionHeads = inductionHeads; self.hasInduction = !inductionHeads.isEmpty; self.inductionLikeBaseline = inductionLikeBaseline; self.strongestInduction = strongestInduction; self.inductionSetup = inductionSetup
        self.strongestPrevious = strongestPrevious; self.uniformShare = uniformShare
        self.allPreferPrevious = heads.allSatisfy { (Double($0.previous) ?? 0) > (Double(uniformShare) ?? 1) }
        self.prompt = prompt; self.windows = windows; self.windowLength = windowLength; self.rows = rows; self.heads = heads; self.previousHeads = previousHeads; self.firstHeads = firstHeads
        self.selfHeads = selfHeads; self.diffuseHeads = diffuseHeads; self.threshold = threshold; self.diffuseThreshold = diffuseThreshold }
}

/// Ch. 7: every decoding strategy on one prompt.
public struct Chapter7Values {
    /// Whether a generated text (prompt and continuation, without a final end-of-text) stands word
    /// for word in the training corpus, and how often: the model reciting what it read.
    public struct CorpusMatch {
        public var count: Int
        public var recited: Bool
        /// Exactly once (for "once" instead of "1 times").
        public var once: Bool
        public init(count: Int) { self.count = count; self.recited = count > 0; self.once = count == 1 }
    }
    public struct Greedy { public var text: Continuation; public var steps: [TokenStep]; public var corpus: CorpusMatch
        public init(text: Continuation, steps: [TokenStep], corpus: CorpusMatch = .init(count: 0)) { self.text = text; self.steps = steps; self.corpus = corpus } }
    public struct Beam {
        public var width: Int
        public var text: Continuation
        /// Summed log-probability of the beam's best sequence and of the greedy sequence (same prompt and limit).
        public var logProb: String
        public var greedyLogProb: String
        /// Tokens in each of the two sequences (an end-of-text token included).
        public var tokens: Int
        public var greedyTokens: Int
        /// Beam found a sequence with a higher total probability than greedy.
        public var beatGreedy: Bool
        /// Beam returned exactly the greedy sequence.
        public var sameAsGreedy: Bool
        public var corpus: CorpusMatch
        public init(width: Int, text: Continuation, logProb: String, greedyLogProb: String, tokens: Int, greedyTokens: Int,
                    beatGreedy: Bool, sameAsGreedy: Bool, corpus: CorpusMatch = .init(count: 0)) {
            self.corpus = corpus
            self.width = width; self.text = text; self.logProb = logProb; self.greedyLogProb = greedyLogProb
            self.tokens = tokens; self.greedyTokens = greedyTokens; self.beatGreedy = beatGreedy; self.sameAsGreedy = sameAsGreedy }
    }
    public struct TemperatureRow {
        public var t: String; public var top1: String; public var top1Prob: String; public var entropy: String
        public init(t: String, top1: String, top1Prob: String, entropy: String) { self.t = t; self.top1 = top1; self.top1Prob = top1Prob; self.entropy = entropy }
    }
    public struct Cut {
        /// k or p.
        public var parameter: String
        /// Tokens kept and their original mass.
        public var kept: Int
        public var keptMass: String
        /// The token drawn and its renormalised probability.
        public var drawn: String
        public var drawnProb: String
        public var seed: String
        public init(parameter: String, kept: Int, keptMass: String, drawn: String, drawnProb: String, seed: String) {
            self.parameter = parameter; self.kept = kept; self.keptMass = keptMass; self.drawn = drawn; self.drawnProb = drawnProb; self.seed = seed }
    }
    public struct Sample { public var temperature: String; public var seed: String; public var text: Continuation
        /// The sampled text equals the greedy text, or the beam's.
        public var sameAsGreedy: Bool
        public var sameAsBeam: Bool
        public var corpus: CorpusMatch
        public init(temperature: String, seed: String, text: Continuation, sameAsGreedy: Bool = false, sameAsBeam: Bool = false,
                    corpus: CorpusMatch = .init(count: 0)) {
            self.sameAsBeam = sameAsBeam; self.corpus = corpus
            self.temperature = temperature; self.seed = seed; self.text = text; self.sameAsGreedy = sameAsGreedy } }
    public var prompt: String
    public var greedy: Greedy
    public var beam: Beam
    public var temperatures: [TemperatureRow]
    public var topK: Cut
    public var topP: Cut
    public var sample: Sample
    /// The key/value cache over the greedy run (`DecodingCost`, the same numbers as the `kvCache` figure).
    public struct Cache {
        public struct Step {
            public var step: Int
            /// Tokens read, rows reused from the cache, rows computed new.
            public var length: Int
            public var reused: Int
            public var new: Int
            /// Multiply-adds with and without the cache, grouped (`265,728`).
            public var cached: String
            public var uncached: String
            public init(_ s: DecodingCost.Step) {
                step = s.step; length = s.length; reused = s.reusedRows.count; new = s.newRows.count
                cached = Format.grouped(s.cached); uncached = Format.grouped(s.uncached) }
        }
        public var promptTokens: Int
        public var steps: [Step]
        public var stepCount: Int
        public var last: Step
        /// Multiply-adds of one row at position 0 (the O(C²) part every new token pays).
        public var rowCost: String
        public var cachedTotal: String
        public var uncachedTotal: String
        /// uncachedTotal / cachedTotal.
        public var ratio: String
        public init(promptTokens: Int, steps: [DecodingCost.Step], rowCost: Int) {
            self.promptTokens = promptTokens; self.steps = steps.map(Step.init); stepCount = steps.count; last = Step(steps[steps.count - 1])
            self.rowCost = Format.grouped(rowCost)
            let c = steps.reduce(0) { $0 + $1.cached }, u = steps.reduce(0) { $0 + $1.uncached }
            cachedTotal = Format.grouped(c); uncachedTotal = Format.grouped(u); ratio = Format.fixed(Double(u) / Double(max(1, c)), 1) }
    }
    public var cache: Cache
    /// Greedy, beam and sampling printed three different texts.
    public var allDiffer: Bool
    /// All three texts stand word for word in the corpus, or none does.
    public var allRecited: Bool
    public var noneRecited: Bool
    public init(prompt: String, greedy: Greedy, beam: Beam, temperatures: [TemperatureRow], topK: Cut, topP: Cut, sample: Sample, cache: Cache) {
        self.prompt = prompt; self.greedy = greedy; self.beam = beam; self.temperatures = temperatures
        self.topK = topK; self.topP = topP; self.sample = sample; self.cache = cache
        let texts = [greedy.text.block, beam.text.block, sample.text.block]
        self.allDiffer = Set(texts).count == texts.count
        let recited = [greedy.corpus.recited, beam.corpus.recited, sample.corpus.recited]
        self.allRecited = recited.allSatisfy { $0 }
        self.noneRecited = !recited.contains(true) }
}

/// Ch. 8: the loss of a real batch, parallel vs incremental, the optimiser.
public struct Chapter8Values {
    public struct Position { public var position: Int; public var target: String; public var prob: String; public var loss: String
        public init(position: Int, target: String, prob: String, loss: String) { self.position = position; self.target = target; self.prob = prob; self.loss = loss } }
    public var sequences: Int
    public var length: Int
    /// Positions of the batch's first sequence.
    public var positions: [Position]
    /// Mean −ln P(target) over all sequences × length positions of the batch (what training minimises).
    public var meanLoss: String
    /// Mean over the first sequence's positions only (what figure 8.2 draws).
    public var firstMean: String
    /// sequences × length: the positions `meanLoss` averages.
    public var batchPositions: Int
    /// Largest |difference| between logits from one parallel pass and from growing the prompt one token at a time.
    public var parallelMaxDiff: String
    /// The two ways gave bit-identical logits.
    public var parallelIdentical: Bool
    public var peakLR: String
    public var clip: String
    /// Share of training steps whose gradient norm was clipped.
    public var clippedShare: String
    public var steps: Int
    public init(sequences: Int, length: Int, positions: [Position], meanLoss: String, firstMean: String, parallelMaxDiff: String,
                peakLR: String, clip: String, clippedShare: String, steps: Int) {
        self.sequences = sequences; self.length = length; self.positions = positions; self.meanLoss = meanLoss; self.firstMean = firstMean; self.batchPositions = sequences * length
        self.parallelMaxDiff = parallelMaxDiff; self.parallelIdentical = parallelMaxDiff == "0"; self.peakLR = peakLR; self.clip = clip; self.clippedShare = clippedShare; self.steps = steps }
}

/// Ch. 9: what each mask lets a position see.
public struct Chapter9Values {
    public var length: Int
    /// Visible (query, key) pairs under the causal and the bidirectional mask.
    public var causalVisible: Int
    public var bidirectionalVisible: Int
    public var causalShare: String
    public init(length: Int, causalVisible: Int, bidirectionalVisible: Int, causalShare: String) {
        self.length = length; self.causalVisible = causalVisible; self.bidirectionalVisible = bidirectionalVisible; self.causalShare = causalShare }
}

/// Ch. 10: scaling, schedule, clipping, precision, SFT.
public struct Chapter10Values {
    public struct ScalePoint { public var name: String; public var parameters: String; public var loss: String
        public init(name: String, parameters: String, loss: String) { self.name = name; self.parameters = parameters; self.loss = loss } }
    /// The scaling experiment's models, smallest first (empty when it has not been run).
    public var scaling: [ScalePoint]
    /// Fitted slope of log loss against log parameters; nil when `experiments/scaling.json` does not exist for this model.
    public var scalingSlope: String?
    /// The scaling experiment has been run (`scalingSlope != nil`), for `{{#…}}` sections.
    public var scalingRun: Bool
    /// Inline code of the command that runs the scaling experiment for this model.
    public var scalingCommand: String
    /// Every larger model reached a lower validation loss than every smaller one.
    public var scalingMonotone: Bool
    public var warmupSteps: Int
    public var totalSteps: Int
    public var peakLR: String
    public var finalLR: String
    public var clip: String
    public var clippedSteps: Int
    public var medianGradNorm: String
    /// Largest and mean relative rounding error of our weights in FP16 and BF16.
    public var fp16MaxError: String
    public var fp16MeanError: String
    public var bf16MaxError: String
    public var bf16MeanError: String
    public var weightCount: String
    /// Weights whose magnitude is below FP16's smallest normal number (they lose mantissa bits).
    public var fp16Subnormal: String
    /// Some weights are below FP16's smallest normal number.
    public var hasFP16Subnormal: Bool
    /// FP16's largest error exceeds BF16's (the tiny weights), though its mean error is smaller.
    public var fp16WorstIsLarger: Bool
    /// The SFT run (shared with chapter 2); nil when it has not been run.
    public var sft: Chapter2Values.FineTune?
    /// The fine-tuning experiment has been run (`sft != nil`), for `{{#…}}` sections.
    public var sftRun: Bool
    /// Inline code of the command that runs the fine-tuning experiment.
    public var sftCommand: String
    public init(scaling: [ScalePoint], scalingSlope: String?, scalingCommand: String = "", warmupSteps: Int, totalSteps: Int, peakLR: String, finalLR: String,
                clip: String, clippedSteps: Int, medianGradNorm: String, fp16MaxError: String, fp16MeanError: String,
                bf16MaxError: String, bf16MeanError: String, weightCount: String, fp16Subnormal: String, sft: Chapter2Values.FineTune?, sftCommand: String = "") {
        self.scaling = scaling; self.scalingSlope = scalingSlope; self.scalingCommand = scalingCommand; self.sftCommand = sftCommand
        self.scalingRun = scalingSlope != nil; self.sftRun = sft != nil
        self.scalingMonotone = zip(scaling, scaling.dropFirst()).allSatisfy { (Double($0.loss) ?? 0) > (Double($1.loss) ?? 0) }; self.warmupSteps = warmupSteps; self.totalSteps = totalSteps
        self.peakLR = peakLR; self.finalLR = finalLR; self.clip = clip; self.clippedSteps = clippedSteps
        self.medianGradNorm = medianGradNorm; self.fp16MaxError = fp16MaxError; self.fp16MeanError = fp16MeanError
        self.bf16MaxError = bf16MaxError; self.bf16MeanError = bf16MeanError; self.weightCount = weightCount; self.fp16Subnormal = fp16Subnormal; self.sft = sft
        self.hasFP16Subnormal = fp16Subnormal != "0"
        self.fp16WorstIsLarger = (Double(fp16MaxError) ?? 0) > (Double(bf16MaxError) ?? 0) }
}

/// Ch. 11: what the tiny model can do.
public struct Chapter11Values {
    public var story: Continuation
    public var code: Continuation
    public init(story: Continuation, code: Continuation) { self.story = story; self.code = code }
}

/// Ch. 12: limitations, measured.
public struct Chapter12Values {
    public struct Loop {
        public var text: Continuation
        /// The repeated span, its length in tokens and how many times it occurs in prompt + output.
        public var span: String
        public var period: Int
        /// The span is one token (for "1 token").
        public var single: Bool
        public var repeats: Int
        /// The occurrences follow each other directly (a tight loop), rather than with other text between them.
        public var backToBack: Bool
        /// A back-to-back loop that runs through `<|endoftext|>`: each round writes one whole
        /// document again, this one (inline code), which occurs `documentCount` times in the corpus.
        public var document: String?
        public var documentCount = 0
        /// The looped document stands in the corpus more than once: the model replays what it read most.
        public var recites = false
        public init(text: Continuation, span: String, period: Int, repeats: Int, backToBack: Bool = true) {
            self.text = text; self.span = span; self.period = period; self.single = period == 1; self.repeats = repeats; self.backToBack = backToBack }
    }
    /// How the repetition prompt was found (nil: the lesson's prompt as given).
    public struct Search {
        /// Prompts tried (the given one, then the corpus's most frequent document openings that fit).
        public var tried: Int
        /// How many of them loop back to back.
        public var looping: Int
        /// The lesson's own prompt (inline code), and whether the search kept it.
        public var givenPrompt: String
        public var keptGiven: Bool
        public var noneLoops: Bool
        public init(tried: Int, looping: Int, givenPrompt: String, keptGiven: Bool) {
            self.tried = tried; self.looping = looping; self.givenPrompt = givenPrompt; self.keptGiven = keptGiven; self.noneLoops = looping == 0 }
    }
    public var search: Search?
    public var greedyText: Continuation
    /// nil if the output repeats no span of 3 or more tokens.
    public var loop: Loop?
    public var contextLength: Int
    /// What happens past the window: tokens a long input loses.
    public var longPromptTokens: Int
    public var droppedTokens: Int
    /// The long input does not fit (droppedTokens > 0).
    public var exceeds: Bool
    public var hallucination: Continuation
    /// Inline code of the "fact" prompt, and how often its text occurs in the model's corpus
    /// (ours never; a teacher's own corpus might state the fact, and then the lesson says so).
    public var factPrompt: String
    public var factOccurrences: Int
    public var factInCorpus: Bool
    /// The longest run of two or more tokens the "fact" continuation takes from its own prompt
    /// (inline code), and how often it occurs in the continuation: copying from the context, as
    /// chapter 6's induction heads do. nil when the continuation copies no such run.
    public var factCopy: String?
    public var factCopyCount = 0
    /// The copied run occurs exactly once (for "once" instead of "1 times").
    public var factCopyOnce = false
    /// The token limit ended the continuation inside a character (its last bytes show as �).
    public var factCut = false
    public init(greedyText: Continuation, loop: Loop?, contextLength: Int, longPromptTokens: Int, droppedTokens: Int, hallucination: Continuation,
                factPrompt: String = "", factOccurrences: Int = 0) {
        self.factPrompt = factPrompt; self.factOccurrences = factOccurrences; self.factInCorpus = factOccurrences > 0
        self.greedyText = greedyText; self.loop = loop; self.contextLength = contextLength
        self.longPromptTokens = longPromptTokens; self.droppedTokens = droppedTokens; self.hallucination = hallucination
        self.exceeds = droppedTokens > 0 }
}

/// Ch. 13: our size against GPT-3's published 175B.
public struct Chapter13Values {
    /// 175,000,000,000 / our parameter count, formatted.
    public var gpt3Ratio: String
    public init(gpt3Ratio: String) { self.gpt3Ratio = gpt3Ratio }
}

/// Ch. 14: the pipeline on one prompt.
public struct Chapter14Values {
    public var prompt: String
    public var tokens: Int
    public var chosen: TokenProb
    public init(prompt: String, tokens: Int, chosen: TokenProb) { self.prompt = prompt; self.tokens = tokens; self.chosen = chosen }
}
