import Foundation
import PropertyBased
import Testing
@testable import TinyGPT

/// The repository root, found from this file's path (Tests/TinyGPTTests/TokenizerTests.swift).
private let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let corpusDirectory = repoRoot.appendingPathComponent("lessons/corpus")

/// Trained once, shared by the tests that need the real vocabulary.
private let corpusDocuments: [String] = try! Corpus.load(directory: corpusDirectory)
private let corpusTokenizer = Tokenizer.train(documents: corpusDocuments,
                                              vocabSize: Tokenizer.defaultVocabSize)

private func byteID(_ b: UInt8) -> Int { Int(b) + Tokenizer.byteOffset }
private func texts(_ tok: Tokenizer, _ ids: [Int]) -> [String] { ids.map { tok.decode([$0]) } }

private func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("gptx-tokenizer-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// All tokenizer and corpus tests: `swift test --filter TokenizerTests`.
@Suite enum TokenizerTests {
    // MARK: - Pre-tokenisation

    @Suite struct Pretokenisation {
        func chunks(_ text: String) -> [String] {
            let scalars = Array(text.unicodeScalars)
            return Pretokenizer.split(scalars).map { String(String.UnicodeScalarView(scalars[$0.range])) }
        }

        @Test func englishWordsCarryTheirLeadingSpace() {
            #expect(chunks("I love  cats.") == ["I", " love", " ", " cats", "."])
        }

        @Test func pythonIndentationAndPunctuation() {
            #expect(chunks("def f(n):\n    if n <= 1:") ==
                    ["def", " f", "(", "n", "):", "\n", "   ", " if", " n", " <=", " 1", ":"])
        }

        @Test func hanRunsSplitAtStandaloneCharactersAndScriptChanges() {
            #expect(chunks("我今天很开心，GPT2模型") == ["我", "今天", "很", "开心", "，", "GPT", "2", "模型"])
            #expect(chunks("人工智能是未来的发展方向。") == ["人工智能", "是", "未来", "的", "发展方向", "。"])
        }

        @Test func endOfTextIsItsOwnChunkEvenInsidePunctuation() {
            #expect(chunks("a:<|endoftext|>:b") == ["a", ":", "<|endoftext|>", ":", "b"])
            #expect(chunks("<|endoftext") == ["<|", "endoftext"])
        }

        @Test func chunksCoverTheTextExactly() async {
            await propertyCheck(input: RoundTrip.textGenerator) { text in
                #expect(chunks(text).joined().unicodeScalars.elementsEqual(text.unicodeScalars))
            }
        }
    }

    // MARK: - Training by hand

    @Suite struct HandComputedTraining {
        /// "the cat", "the hat" -> chunks the ×2, " cat", " hat" (ASCII: token = byte + 1).
        /// Pair counts: th 2, he 2, at 2, others 1. Tie at 2 -> smallest (left, right) pair:
        /// (a,t) = (98, 117) < (h,e) = (105, 102) < (t,h) = (117, 105).
        ///   merge 0: a + t  -> 257 "at"
        ///   merge 1: h + e  -> 258 "he"   (now t·he ×2, ␣c·at, ␣h·at: every other pair once)
        ///   merge 2: t + he -> 259 "the"
        /// then every pair occurs once, so training stops at 260 tokens.
        @Test func latinExample() {
            let tok = Tokenizer.train(documents: ["the cat", "the hat"], vocabSize: 300)
            let a = byteID(0x61), e = byteID(0x65), h = byteID(0x68), t = byteID(0x74)
            #expect(tok.merges == [
                .init(left: a, right: t, result: 257),
                .init(left: h, right: e, result: 258),
                .init(left: t, right: 258, result: 259),
            ])
            #expect(tok.vocabSize == 260)
            #expect(tok.encode("the cat") == [259, byteID(0x20), byteID(0x63), 257])
            #expect(tok.encode("hat the") == [h, 257, byteID(0x20), 259])
        }

        /// 机器学习 ×2, 机器人, 学习. Character counts: 习 3, 器 3, 学 3, 机 3, 人 1; ties in scalar
        /// order (习 U+4E60 < 器 U+5668 < 学 U+5B66 < 机 U+673A), so 习 257, 器 258, 学 259, 机 260, 人 261.
        /// Pairs: 机器 3, 学习 3, 器学 2, 器人 1. Tie -> (学, 习) = (259, 257) before (机, 器) = (260, 258).
        ///   merge 0: 学 + 习 -> 262, merge 1: 机 + 器 -> 263.
        /// Then 机器·学习 occurs twice, but a Han token may hold at most two characters: stop.
        @Test func hanExampleWithTiesAndTheTwoCharacterCap() {
            let tok = Tokenizer.train(documents: ["机器学习", "机器学习", "机器人", "学习"], vocabSize: 400)
            #expect(texts(tok, Array(257..<262)) == ["习", "器", "学", "机", "人"])
            #expect(tok.merges == [
                .init(left: 259, right: 257, result: 262),
                .init(left: 260, right: 258, result: 263),
            ])
            #expect(tok.vocabSize == 264)
            #expect(tok.encode("机器学习") == [263, 262])
            #expect(tok.encode("学习机器人") == [262, 263, 261])
        }

        @Test func vocabSizeLimitsCharactersAndMerges() {
            // Room for 3 learned tokens: the three most frequent characters, no merges.
            let tok = Tokenizer.train(documents: ["机器学习", "机器学习", "机器人", "学习"], vocabSize: 260)
            #expect(tok.vocabSize == 260)
            #expect(tok.merges.isEmpty)
            #expect(texts(tok, Array(257..<260)) == ["习", "器", "学"])
            // 机 is not in the vocabulary: it falls back to its three UTF-8 bytes.
            #expect(tok.encode("机") == [0xE6, 0x9C, 0xBA].map(byteID))
        }

        @Test func endOfTextInTrainingTextIsNotLearnedFrom() {
            let tok = Tokenizer.train(documents: ["<|endoftext|><|endoftext|>"], vocabSize: 300)
            #expect(tok.vocabSize == Tokenizer.firstLearnedID)
        }
    }

    // MARK: - Round trip

    enum RoundTrip {
        /// Fragments that stress the byte fallback and the pre-tokeniser.
        static let fragments: [String] = [
            "<|endoftext|>", "<|endof", "text|>", "🙂", "👩‍👩‍👧", "🇨🇳", "e\u{301}", "\u{301}", "é",
            "\u{0}", "\u{7}", "\r\n", "\t", "  ", "\n\n", "\u{FEFF}", "\u{200B}", "𠀋", "龘", "한국어",
            "日本語", "Ω≈ç√", "我今天很", "开心", "人工智能", " if", "):", "😀<|endoftext|>\u{301}",
        ]

        /// Any scalar except surrogates (which are not scalars).
        static let anyScalar = Gen<UInt32>.value(in: 0...(0x10FFFF - 0x800)).map { String(scalar($0)) }

        static func scalar(_ v: UInt32) -> Unicode.Scalar {
            let v = v % (0x10FFFF - 0x800 + 1)
            return Unicode.Scalar(v < 0xD800 ? v : v + 0x800)!
        }

        /// Strings mixing fragments, random scalars, ASCII and corpus text. Each element's
        /// `% 100` picks the kind and `/ 100` is the payload, so the seed alone fixes the string.
        static let textGenerator = Gen<UInt32>.value(in: 0...(100 * 0x110000)).array(of: 0...24).map { picks -> String in
            var text = ""
            for v in picks {
                let kind = Int(v % 100), payload = v / 100
                switch kind {
                case 0..<40: text += fragments[Int(payload) % fragments.count]
                case 40..<70: text.unicodeScalars.append(scalar(payload))
                case 70..<85: text.unicodeScalars.append(Unicode.Scalar(UInt8(payload % 128)))
                default:
                    let doc = corpusSample[Int(payload) % corpusSample.count]
                    text += doc.prefix(Int(payload / 7) % (doc.count + 1))
                }
            }
            return text
        }

        static let corpusSample = ["我今天很开心，因为考试考得很好。", "def calculate_fibonacci(n):\n    if n <= 1:",
                                   "I love machine learning.", "人工智能是未来的发展方向。"]
    }

    @Suite struct RoundTrips {
        @Test func everyStringDecodesToItsExactBytes() async {
            let tok = corpusTokenizer
            await propertyCheck(count: 300, input: RoundTrip.textGenerator) { text in
                let ids = tok.encode(text)
                #expect(ids.allSatisfy { (0..<tok.vocabSize).contains($0) })
                #expect(Array(tok.decode(ids).utf8) == Array(text.utf8))
                #expect(ids.flatMap(tok.tokenBytes) == Array(text.utf8))
            }
        }

        /// `mergeSteps` replays `encode` one rank at a time: it starts at the text's bytes, each step
        /// merges exactly the pairs of its rank (nothing else changes), ranks only grow, and the
        /// last step is `encode`'s result.
        @Test func mergeStepsEndAtEncode() async {
            let tok = corpusTokenizer
            await propertyCheck(count: 200, input: RoundTrip.textGenerator) { text in
                let (start, steps) = tok.mergeSteps(text)
                #expect(start.flatMap(tok.tokenBytes) == Array(text.utf8))
                #expect((steps.last?.ids ?? start) == tok.encode(text))
                var before = start, lastRank = -1
                for s in steps {
                    #expect(s.rank > lastRank && tok.merges[s.rank] == s.merge)
                    lastRank = s.rank
                    #expect(!s.merged.isEmpty && s.ids.count == before.count - s.merged.count)
                    #expect(s.merged.allSatisfy { s.ids[$0] == s.merge.result })
                    // Undo the merge at the marked places: the previous sequence comes back.
                    var undone: [Int] = []
                    for (i, id) in s.ids.enumerated() { undone += s.merged.contains(i) ? [s.merge.left, s.merge.right] : [id] }
                    #expect(undone == before)
                    before = s.ids
                }
            }
            let (start, steps) = tok.mergeSteps("学习")
            #expect(start.count == 2 && steps.count == 1 && steps[0].ids == tok.encode("学习"))
        }

        @Test func randomScalarsRoundTrip() async {
            let tok = corpusTokenizer
            await propertyCheck(count: 200, input: RoundTrip.anyScalar.array(of: 0...16)) { scalars in
                let text = scalars.joined()
                #expect(Array(tok.decode(tok.encode(text)).utf8) == Array(text.utf8))
            }
        }

        @Test func canonicallyEquivalentSpellingsKeepTheirOwnBytes() {
            let tok = corpusTokenizer
            let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
            #expect(composed == decomposed)  // Swift says equal; the tokenizer must not
            #expect(tok.encode(composed) != tok.encode(decomposed))
            #expect(Array(tok.decode(tok.encode(decomposed)).utf8) == Array(decomposed.utf8))
            #expect(Array(tok.decode(tok.encode(composed)).utf8) == Array(composed.utf8))
        }

        @Test func endOfTextLiteralEncodesToTheSpecialToken() {
            let tok = corpusTokenizer
            let ids = tok.encode("好<|endoftext|>好")
            #expect(ids.count == 3)
            #expect(ids[1] == tok.endOfTextID)
            #expect(tok.decode(ids) == "好<|endoftext|>好")
            #expect(!tok.encode("<|endoftext").contains(tok.endOfTextID))
        }

        @Test func strayBytesDecodeToReplacementCharacter() {
            let tok = corpusTokenizer
            #expect(tok.decode([byteID(0xE6)]) == "\u{FFFD}")
            #expect(tok.decode([byteID(0x61), byteID(0xE6), byteID(0x9C), byteID(0x62)]) == "a\u{FFFD}b")
            #expect(tok.decode([-1, tok.vocabSize]) == "\u{FFFD}\u{FFFD}")
        }

        @Test func displayTextMarksWhitespaceBytesAndSpecial() {
            let tok = corpusTokenizer
            #expect(tok.displayText(tok.endOfTextID) == "<|endoftext|>")
            #expect(tok.displayText(byteID(0xE6)) == "<0xE6>")
            #expect(tok.displayText(byteID(0x00)) == "<0x00>")
            #expect(tok.displayText(byteID(0x61)) == "a")
            #expect(tok.displayText(byteID(0x20)) == "␣")
            #expect(tok.displayText(byteID(0x0A)) == "⏎")
            let ifID = tok.encode(" if")
            #expect(ifID.count == 1)
            #expect(tok.displayText(ifID[0]) == "␣if")
            #expect(tok.displayText(tok.vocabSize) == "<unk \(tok.vocabSize)>")
        }
    }

    // MARK: - Determinism and files

    @Suite struct FilesAndDeterminism {
        @Test func trainingTwiceGivesIdenticalBytes() {
            let again = Tokenizer.train(documents: corpusDocuments, vocabSize: Tokenizer.defaultVocabSize)
            #expect(again.jsonData() == corpusTokenizer.jsonData())
            // Document order changes counts' arrival order but not the counts: same result.
            let reversed = Tokenizer.train(documents: corpusDocuments.reversed(), vocabSize: Tokenizer.defaultVocabSize)
            #expect(reversed == corpusTokenizer)
        }

        @Test func saveAndLoadRoundTrip() throws {
            let dir = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("tokenizer.json")
            try corpusTokenizer.write(to: url)
            let loaded = try Tokenizer(contentsOf: url)
            #expect(loaded == corpusTokenizer)
            #expect(loaded.jsonData() == corpusTokenizer.jsonData())
            let sample = "我今天很开心，因为🙂 def f(n):\n    return n<|endoftext|>"
            #expect(loaded.encode(sample) == corpusTokenizer.encode(sample))
            // No temporary files left beside it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["tokenizer.json"])
        }

        @Test func writingIntoMissingFolderNamesThePath() {
            let url = URL(fileURLWithPath: "/nonexistent-gptx-\(UUID().uuidString)/tokenizer.json")
            #expect {
                try corpusTokenizer.write(to: url)
            } throws: { error in
                (error as? UserError)?.message.contains(url.path) == true
            }
        }

        /// A small valid file as a JSON object, to break in one place per case.
        func validObject() throws -> [String: Any] {
            let tok = Tokenizer.train(documents: ["the cat", "the hat", "机器学习", "机器学习"], vocabSize: 300)
            return try JSONSerialization.jsonObject(with: tok.jsonData()) as! [String: Any]
        }

        func loadError(_ data: Data) -> String? {
            let dir = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("broken.json")
            try! data.write(to: url)
            do {
                _ = try Tokenizer(contentsOf: url)
                return nil
            } catch {
                #expect(error.message.contains(url.path), "message must name the file: \(error.message)")
                #expect(!error.message.contains("\n"))
                return error.message
            }
        }

        func loadError(_ object: [String: Any]) -> String? {
            loadError(try! JSONSerialization.data(withJSONObject: object))
        }

        @Test func validObjectLoads() throws {
            #expect(loadError(try validObject()) == nil)
        }

        @Test func missingFile() {
            let url = URL(fileURLWithPath: "/nonexistent-gptx/tokenizer.json")
            #expect(throws: UserError("tokenizer file \(url.path) does not exist")) {
                try Tokenizer(contentsOf: url)
            }
        }

        @Test func badJSON() {
            #expect(loadError(Data("{\"format\": ".utf8))?.contains("not valid JSON") == true)
            #expect(loadError(Data("[1, 2]".utf8))?.contains("not a JSON object") == true)
        }

        @Test func wrongFormat() throws {
            var o = try validObject()
            o["format"] = "gpt2"
            #expect(loadError(o)?.contains("format") == true)
            o["format"] = nil
            #expect(loadError(o)?.contains("format") == true)
        }

        @Test func byteTableIncomplete() throws {
            var o = try validObject()
            var vocab = o["vocab"] as! [Any]
            vocab[5] = ["byte": 7]
            o["vocab"] = vocab
            #expect(loadError(o)?.contains("byte table incomplete") == true)
            o["vocab"] = Array((try validObject()["vocab"] as! [Any]).prefix(100))
            o["merges"] = [Any]()
            #expect(loadError(o)?.contains("byte table incomplete") == true)
        }

        @Test func duplicateTokens() throws {
            var o = try validObject()
            var vocab = o["vocab"] as! [Any]
            vocab.append(["text": "机"])  // already a character token
            o["vocab"] = vocab
            #expect(loadError(o)?.contains("duplicate token") == true)
            vocab.removeLast()
            vocab.append(["text": "a"])  // same bytes as the byte token 0x61
            o["vocab"] = vocab
            #expect(loadError(o)?.contains("duplicate token") == true)
        }

        @Test func mergeReferringToUnknownID() throws {
            var o = try validObject()
            var merges = o["merges"] as! [[Int]]
            merges[0][1] = 99_999
            o["merges"] = merges
            #expect(loadError(o)?.contains("unknown id 99999") == true)
        }

        @Test func mergeThatDoesNotSpellItsResult() throws {
            var o = try validObject()
            var merges = o["merges"] as! [[Int]]
            merges[0][0] = byteID(0x7A)  // "z" + "t" is not "at"
            o["merges"] = merges
            #expect(loadError(o)?.contains("do not spell") == true)
        }

        @Test func tokenNoMergeProduces() throws {
            var o = try validObject()
            var merges = o["merges"] as! [[Int]]
            merges.removeLast()
            o["merges"] = merges
            #expect(loadError(o)?.contains("neither a single non-ASCII character nor made by a merge") == true)
        }

        @Test func malformedEntries() throws {
            var o = try validObject()
            var vocab = o["vocab"] as! [Any]
            vocab.append(["bytes": [300]])
            o["vocab"] = vocab
            #expect(loadError(o)?.contains("0...255") == true)
            o = try validObject()
            o["merges"] = [[1, 2]]
            #expect(loadError(o)?.contains("[left, right, result]") == true)
        }
    }

    // MARK: - Corpus loading

    @Suite struct CorpusLoading {
        @Test func splitsOnEndOfTextLinesAndDropsEmptyDocuments() throws {
            let dir = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            try "第二个文件。\n".write(to: dir.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
            try "一\n二\n<|endoftext|>\n\n<|endoftext|>\n  \n<|endoftext|>\n三<|endoftext|>四\n<|endoftext|>\r\ndef f():\n    return 1\n"
                .write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            try "ignored".write(to: dir.appendingPathComponent("c.md"), atomically: true, encoding: .utf8)
            let docs = try Corpus.load(directory: dir)
            #expect(docs == ["一\n二", "三<|endoftext|>四", "def f():\n    return 1", "第二个文件。"])
        }

        @Test func missingFolder() {
            let url = URL(fileURLWithPath: "/nonexistent-gptx-corpus")
            #expect(throws: UserError("corpus folder \(url.path) does not exist")) {
                try Corpus.load(directory: url)
            }
        }

        @Test func folderWithoutTextFiles() {
            let dir = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(throws: UserError("corpus folder \(dir.path) has no .txt files: \(Corpus.allowed)")) {
                try Corpus.load(directory: dir)
            }
        }

        @Test func folderWithOnlyEmptyDocuments() throws {
            let dir = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            try "\n<|endoftext|>\n\n".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            #expect(throws: UserError.self) { try Corpus.load(directory: dir) }
        }

        @Test func invalidUTF8NamesTheFile() throws {
            let dir = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("bad.txt")
            try Data([0x61, 0xFF, 0x62]).write(to: url)
            #expect(throws: UserError("corpus file \(url.path) is not valid UTF-8: \(Corpus.allowed)")) {
                try Corpus.load(directory: dir)
            }
        }
    }

    // MARK: - The real corpus

    @Suite struct RealCorpus {
        let tok = corpusTokenizer

        @Test(arguments: ["机器", "学习", "开心", "人工", "智能", "未来", "发展", "方向", "今天", "幸福"])
        func frequentWordsAreSingleTokens(word: String) {
            #expect(tok.encode(word).count == 1, "\(word) -> \(tok.encode(word).map(tok.displayText))")
        }

        @Test func everyCorpusCharacterHasItsOwnToken() {
            let scalars = Set(corpusDocuments.flatMap(\.unicodeScalars))
            for s in scalars {
                #expect(tok.encode(String(s)).count == 1, "U+\(String(s.value, radix: 16)) falls back to bytes")
            }
        }

        @Test(arguments: [
            ("我今天很", "开心"), ("我今天很", "忙"), ("我今天很", "累"), ("我今天很", "幸福"),
            ("我今天很", "开心，因为考试考得很好。"),
            ("人工智能是", "未来的发展方向。"), ("人工智能", "是一门新的技术科学。"),
            ("我爱", "机器学习。"), ("我爱机器", "学习"),
            ("def calculate_fibonacci(n):", "\n    if n <= 1:"),
            ("def calculate_fibonacci(n):\n    if n <= 1:", "\n        return n"),
            ("I am very", " happy today."),
        ])
        func promptTokensArePrefixOfPromptPlusContinuation(prompt: String, continuation: String) {
            let p = tok.encode(prompt), full = tok.encode(prompt + continuation)
            #expect(Array(full.prefix(p.count)) == p,
                    "\(p.map(tok.displayText)) vs \(full.map(tok.displayText))")
        }

        @Test func primerTokenisations() {
            func shown(_ s: String) -> [String] { tok.encode(s).map(tok.displayText) }
            #expect(shown("我爱机器学习") == ["我", "爱", "机器", "学习"])
            #expect(shown("我今天很开心") == ["我", "今天", "很", "开心"])
            #expect(shown("人工智能是未来的发展方向。") == ["人工", "智能", "是", "未来", "的", "发展", "方向", "。"])
        }

        @Test func encodingIsFastAndMatchesAcrossCopies() {
            let fresh = Tokenizer(tokens: tok.tokens, merges: tok.merges)  // empty cache
            let clock = ContinuousClock()
            var ids: [Int] = []
            let elapsed = clock.measure { ids = fresh.encode(documents: corpusDocuments) }
            let bytes = corpusDocuments.reduce(0) { $0 + $1.utf8.count }
            print("[tokenizer] encoded \(bytes) bytes into \(ids.count) tokens in \(elapsed)")
            #expect(ids == tok.encode(documents: corpusDocuments))
            #expect(elapsed < .seconds(10))  // debug build; release is well under a second
        }

        @Test func report() {
            let bytes = corpusDocuments.reduce(0) { $0 + $1.utf8.count }
            let characters = Set(corpusDocuments.flatMap(\.unicodeScalars))
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                _ = Tokenizer.train(documents: corpusDocuments, vocabSize: Tokenizer.defaultVocabSize)
            }
            print("[tokenizer] corpus \(bytes) bytes, \(corpusDocuments.count) documents, \(characters.count) distinct scalars (\(characters.filter { $0.value >= 0x80 }.count) non-ASCII)")
            print("[tokenizer] vocab \(tok.vocabSize) (\(tok.merges.count) merges), trained in \(elapsed)")
            for s in ["我今天很", "人工智能是未来的发展方向。", "我爱机器学习",
                      "def calculate_fibonacci(n):\n    if n <= 1:\n        return n\n    return calculate_fibonacci(n-1) + calculate_fibonacci(n-2)",
                      "I love machine learning."] {
                print("[tokenizer] \(tok.encode(s).map(tok.displayText).joined(separator: " | "))")
            }
            #expect(tok.vocabSize <= Tokenizer.defaultVocabSize)
        }
    }
}
