import TinyGPT
print("gptx")
