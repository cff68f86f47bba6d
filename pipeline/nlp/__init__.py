"""The nlp stage: tokenizer, sentence boundaries, the spaCy pipeline and its registered components.

Nothing heavy is imported here; ``pipeline.nlp.build`` loads spaCy when a pipeline is built.
"""
