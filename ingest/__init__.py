"""kb/ → validate → split → embed → Chroma, incremental and atomic."""
