"""A Markdown text is split for its translators by the lines of its block elements, and put
back around their translations with the source's structure."""

import re

import pytest
import yaml

from blocks.markdown import link_problem, restore, same_structure, segments, split
from cms.markdown_html import render
from tests.sample_site import NO_SAMPLE, SAMPLE

TEXT = """## ¿Cómo lo conseguimos?

Estas son las **fases de trabajo** de una [convocatoria](https://goteo.org/calls):
una línea más del mismo párrafo.

* Redacción de las bases.
* Ajustes del algoritmo.
    Con una segunda línea.
1. Lanzamiento

> Una cita
> - con una lista

| Fase | Duración |
|------|---------:|
| Captación | 2 meses |

![Datos y Resultados](/media/datos.png "Datos y Resultados")

# _

```
código = "sin traducir"
```

<iframe title="Vídeo" src="https://www.youtube.com/embed/x"></iframe>

Término
: Definición del término.

[goteo]: https://goteo.org "Goteo"
""".replace("bases.\n", "bases.  \n")  # a hard line break: two trailing spaces

SEGMENTS = [
    "¿Cómo lo conseguimos?",
    "Estas son las **fases de trabajo** de una [convocatoria](https://goteo.org/calls):",
    "una línea más del mismo párrafo.",
    "Redacción de las bases.",
    "Ajustes del algoritmo.",
    "Con una segunda línea.",
    "Lanzamiento",
    "Una cita",
    "con una lista",
    "Fase",
    "Duración",
    "Captación",
    "2 meses",
    "Datos y Resultados",
    "Datos y Resultados",
    "Término",
    "Definición del término.",
]


def test_each_line_of_each_block_element_is_a_segment():
    assert segments(TEXT) == SEGMENTS
    assert "".join(part.text for part in split(TEXT)) == TEXT


def test_the_translations_come_back_in_the_source_structure():
    translated = restore(TEXT, [f"CA {words}" for words in SEGMENTS])
    assert translated == (
        TEXT.replace("¿Cómo", "CA ¿Cómo")
        .replace("Estas son", "CA Estas son")
        .replace("una línea más", "CA una línea más")
        .replace("* Redacción", "* CA Redacción")
        .replace("* Ajustes", "* CA Ajustes")
        .replace("    Con una", "    CA Con una")
        .replace("1. Lanzamiento", "1. CA Lanzamiento")
        .replace("> Una cita", "> CA Una cita")
        .replace("> - con", "> - CA con")
        .replace("| Fase | Duración |", "| CA Fase | CA Duración |")
        .replace("| Captación | 2 meses |", "| CA Captación | CA 2 meses |")
        .replace("![Datos y Resultados", "![CA Datos y Resultados")
        .replace('"Datos y Resultados")', '"CA Datos y Resultados")')
        .replace("Término\n", "CA Término\n")
        .replace(": Definición", ": CA Definición")
    )
    # The hard break's trailing spaces, the code, the HTML and the reference stay.
    assert "CA Redacción de las bases.  \n" in translated
    assert 'código = "sin traducir"' in translated
    assert '<iframe title="Vídeo"' in translated
    assert _structure(render(translated)) == _structure(render(TEXT))


def test_a_translation_cannot_change_the_structure():
    source = "Párrafo.\n\n- Elemento\n\n| Celda | Otra |\n|---|---|\n| a b | c d |"
    translated = restore(
        source,
        ["# Not a heading", "1. not a list", "Pipe | inside", "Other", "Line\nbreak", "- x"],
    )
    assert translated == (
        "\\# Not a heading\n\n- 1\\. not a list\n\n| Pipe \\| inside | Other |\n|---|---|\n"
        "| Line break | \\- x |"
    )
    assert _structure(render(translated)) == _structure(render(source))


def test_a_wrong_number_of_translations_is_refused_with_the_counts():
    with pytest.raises(ValueError, match="with 3 segments was given 2 translations"):
        restore("Uno.\n\nDos.\n\nTres.", ["One.", "Two."])


def test_a_text_extracted_whole_before_it_was_split_takes_its_whole_translation():
    assert restore("Uno.\n\nDos.", ["One.\n\nTwo."]) == "One.\n\nTwo."


def test_same_structure():
    assert same_structure("## Título\n\nTexto.\n\n- a\n- b", "## Títol\n\nText.\n\n- a\n- b")
    # A translation typed on one line (the editor drops line breaks) is not split.
    assert not same_structure("## Título\n\nTexto.", "## Títol Text.")
    assert not same_structure("## Título\n\nTexto.", "Títol\n\nText.")


def test_a_translation_must_keep_the_links_of_its_source():
    source = 'Ver [la convocatoria](https://goteo.org/call) y ![un mapa](/m/mapa.png "Mapa").'
    # The words and the addresses may change (a page in the translator's language).
    assert link_problem(source, 'See ![a map](/m/map.png "Map") and [the call](/ca/call).') == ""
    assert link_problem(source, "See [the call] (https://goteo.org/call) and a map.") == (
        "Links written [words](address): 2 in the source, 0 in this translation. "
        "Keep each link's brackets and parentheses."
    )


def _structure(html: str) -> list[str]:
    return re.findall(r"</?[a-z0-9]+", html)


def _sample_texts() -> list[tuple[str, str]]:
    """Every Markdown body of the real sample, without its Liquid tags (which the importer
    turns into blocks), and every text of its front matter and data files."""
    texts = []
    for path in sorted(SAMPLE.glob("_*/**/*.md")):
        name = str(path.relative_to(SAMPLE))
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            _, front_matter, text = text.split("---", 2)
            texts.extend((name, value) for value in _strings(yaml.safe_load(front_matter)))
        texts.append((name, re.sub(r"{%.*?%}", "", text, flags=re.S)))
    for path in sorted(SAMPLE.glob("_data/**/*.yml")):
        name = str(path.relative_to(SAMPLE))
        texts.extend((name, value) for value in _strings(yaml.safe_load(path.read_text())))
    return texts


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return [text for value in values for text in _strings(value)]


def test_every_text_of_the_real_sample_round_trips():
    if not SAMPLE.is_dir():
        pytest.skip(NO_SAMPLE)
    texts = _sample_texts()
    assert len(texts) > 1000
    for name, text in texts:
        words = segments(text)
        assert restore(text, words) == text, name
        translated = restore(text, [f"CA {w}" for w in words])
        assert _structure(render(translated)) == _structure(render(text)), name
        assert not any("<br" in w or "\n" in w for w in words), name
