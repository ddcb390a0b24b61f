import TinyGPT
import Figures

/// Namespace for lesson building.
public enum Lessons {}
