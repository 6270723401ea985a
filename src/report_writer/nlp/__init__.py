"""The Chinese NLP pass: quantities and claims in the narrative (spaCy + jieba).

    quantities.find_quantities(text) / find_dates(text)   numbers with their written precision, dates
    claims.link(text, ctx=Context(...))                   quantity → metric of phrasebank/metrics.yaml, with scope
    pipeline.analysis(text, ctx)                          the pass of one paragraph, as the checker runs it (no spaCy)
    pipeline.get_nlp() / analyse(text, ctx)               the same on a spaCy Doc (one pipeline per process)
    judge.narrative_findings(doc, sections, report, data) NUM-TABLE, NUM-PERCENT, NUM-SUM, NUM-DUP, NUM-MISSING, NUM-DATA

Import the submodules directly; importing this package loads neither spaCy nor jieba.
"""
