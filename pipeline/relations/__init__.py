"""The relations stage: rules as data (language, loader, types), the extractor, modality, coordination and coreference."""
