"""biomine: rule-based biomedical text mining.

The flow is read -> nlp -> entities -> relations -> write; each stage is one module.
Nothing heavy is imported here so that ``import pipeline`` stays cheap.
"""
__version__ = "0.1.0"
