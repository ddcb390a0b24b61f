import Foundation
import Testing
import TinyGPT
@testable import Lessons

/// The teacher's path: a folder of their own `.txt` files → `Trainer.run` (what `gptx train
/// --corpus DIR --out MODEL` calls) → the lessons from that model, with the training config read
/// from `MODEL/train-config.json`. The corpus lacks 我今天很 and states the "fact", so the lessons
/// must say so instead of repeating what is true of our corpus.
@Suite(.serialized) struct TeacherCorpusTests {
    /// A few KB of the teacher's own text: no 我今天很, and chapter 12's fact prompt twice.
    static func corpus(in dir: URL) throws -> URL {
        let corpus = dir.appendingPathComponent("my texts")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let lines = ["春天来了，花都开了。", "小猫在院子里睡觉。", "我们一起去公园散步。", "老师在教室里讲课。",
                     "The cat sat on the mat.", "def add(a, b):\n    return a + b"]
        var text = "珠穆朗玛峰的高度是八千八百四十八米。\n<|endoftext|>\n"
        for i in 0..<90 { text += lines[i % 6] + lines[(i * 5 + 1) % 6] + "\n<|endoftext|>\n" }
        try text.write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "珠穆朗玛峰的高度是多少？\n".write(to: corpus.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        return corpus
    }

    /// Small enough to train in seconds in a debug build, with context room for the lessons' prompts
    /// and the layers and head the lessons' figures name.
    static func config(corpus: URL) -> TrainConfig {
        let json = """
        {"model": {"vocab_size": 300, "n_positions": 128, "n_embd": 32, "n_layer": 2, "n_head": 2, "positional": "learned"},
         "corpus": "\(corpus.path)", "steps": 10, "batch_size": 2, "learning_rate": 0.01, "min_learning_rate": 0.001, "warmup_steps": 2,
         "weight_decay": 0.1, "beta1": 0.9, "beta2": 0.95, "grad_clip": 1.0, "seed": 7, "val_fraction": 0.2, "eval_interval": 5,
         "eval_batches": 1, "snapshot_steps": [0, 5]}
        """
        return try! JSONDecoder().decode(TrainConfig.self, from: Data(json.utf8))
    }

    @Test func aTeachersCorpusGivesLessonsThatDescribeIt() throws {
        let dir = Scratch.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try Self.corpus(in: dir)
        let model = dir.appendingPathComponent("model")
        _ = try Trainer.run(config: Self.config(corpus: corpus), configDirectory: dir.appendingPathComponent("elsewhere"), output: model)
        #expect(try TrainConfig.load(from: model.appendingPathComponent("train-config.json")).corpus == "../my texts")

        // The pipeline reads the model's own config (the shipped lessons/train-config.json names another corpus).
        var builder = try LessonPipeline(lessons: Scratch.repoLessons, model: model).builder()
        let run = try #require(builder.run as? EngineRun)
        #expect(run.training.documents == (try Corpus.load(directory: corpus)))
        #expect(run.training.config == Self.config(corpus: corpus).with(corpus: "../my texts"))
        builder.figures = FakeFigures()
        let out = dir.appendingPathComponent("output")
        try builder.build(languages: [.en, .zh], outputDirectory: out)

        func text(_ lang: String, _ name: String) throws -> String {
            try String(contentsOf: out.appendingPathComponent("\(lang)/\(name).md"), encoding: .utf8)
        }
        let ch2 = try text("en", "02-three-stages"), ch4 = try text("en", "04-autoregressive-modelling")
        let ch10 = try text("en", "10-training-techniques"), ch12 = try text("en", "12-limitations")
        // Experiments not run: say so and give the command for this model.
        #expect(ch2.contains("`gptx experiment finetune --model \(model.path) --out \(model.path)/experiments`"))
        #expect(ch2.contains("The fine-tuning experiment has not been run for this model yet"))
        #expect(ch10.contains("gptx experiment scaling --config \(model.path)/train-config.json --out \(model.path)/experiments"))
        // 我今天很 is not in this corpus: no split is claimed.
        #expect(ch2.contains("This model's corpus never continues it"))
        #expect(!ch2.contains("The corpus answers it"))
        #expect(ch4.contains("never occurs in this model's corpus"))
        #expect(!ch4.contains("We wrote our corpus so that the primer's numbers are true of it"))
        // The fact prompt is in this corpus: the lesson does not say the corpus never states it.
        #expect(ch12.contains("This model's corpus does contain `珠穆朗玛峰的高度是` (2 times)"))
        #expect(!ch12.contains("our corpus never contains"))
        // zh says the same.
        #expect(try text("zh", "02-three-stages").contains("这个模型的语料里从来没有这个开头的续写"))
        #expect(try text("zh", "04-autoregressive-modelling").contains("这个模型的语料里从来没有出现过"))
        #expect(try text("zh", "12-limitations").contains("这个模型的语料里确实有 `珠穆朗玛峰的高度是`（2 次）"))
        #expect(try text("zh", "10-training-techniques").contains("这个模型还没有做过规模实验"))
    }

    /// The shipped model keeps the claims that are true of our corpus.
    @Test func theShippedCorpusKeepsItsClaims() throws {
        let en4 = Real.lesson(4, .en), en12 = Real.lesson(12, .en), en2 = Real.lesson(2, .en)
        #expect(en4.contains("We wrote our corpus so that the primer's numbers are true of it"))
        #expect(en2.contains("The corpus answers it"))
        #expect(en12.contains("our corpus never contains `珠穆朗玛峰的高度是`"))
    }
}

extension TrainConfig {
    func with(corpus: String) -> TrainConfig { var c = self; c.corpus = corpus; return c }
}
