"""The Chinese NLP pass: quantities and claims in the narrative (spaCy + jieba)."""
