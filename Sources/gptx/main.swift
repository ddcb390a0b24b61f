import TinyGPT
let r = TrainBench.run()
print("train: \(r.msPerStep) ms/step, \(r.tokensPerSecond) tok/s")
