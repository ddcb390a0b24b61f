import TinyGPT
/// Namespace for figure drawing.
public enum Figures {}
