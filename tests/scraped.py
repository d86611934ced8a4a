"""Read `/metrics` as Prometheus does (its text format, parsed by prometheus_client's parser), for the tests
that count what a request changed."""
from collections import Counter

from prometheus_client.parser import text_string_to_metric_families


def samples(text):
    """{(sample name, frozenset of its labels): value} of a scrape's text."""
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def total(scraped, name, **labels):
    """The sum of the samples named `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(value for (sample, sample_labels), value in scraped.items()
               if sample == name and wanted <= sample_labels)


def by(scraped, name, *label_names, **labels):
    """{(values of label_names): sum} of the samples named `name` whose labels include `labels`."""
    sums, wanted = Counter(), set(labels.items())
    for (sample, sample_labels), value in scraped.items():
        if sample == name and wanted <= sample_labels:
            found = dict(sample_labels)
            sums[tuple(found.get(label, "") for label in label_names)] += value
    return sums


def grown(before, after):
    """What grew between two `by` results (a Counter of the increases, zeros left out)."""
    return Counter({key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)})
