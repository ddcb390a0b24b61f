import Testing
@testable import TinyGPT
