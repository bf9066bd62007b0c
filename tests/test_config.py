"""Settings layers: defaults < user file < NEWSGRAPH_* environment < CLI flags."""

from __future__ import annotations

import pytest

from newsgraph.config import MODEL_CANDIDATES, Settings, load_settings
from newsgraph.errors import ConfigError


def test_config_defaults():
    settings = load_settings(environ={})
    assert settings.model == "auto"
    assert settings.workers == 1
    assert settings.pipeline[0] == "newsgraph_social"
    assert settings.resolved_model() in MODEL_CANDIDATES


def test_config_layers(tmp_path):
    user = tmp_path / "my.cfg"
    user.write_text('[nlp]\nbatch_size = 8\nmodel = "from_file"\n\n[run]\nworkers = 3\n')
    env = {"NEWSGRAPH_NLP__MODEL": "from_env", "NEWSGRAPH_INGEST__DEDUPE": "false"}
    settings = load_settings(user, environ=env, workers=2)
    assert (settings.batch_size, settings.model, settings.dedupe, settings.workers) == (8, "from_env", False, 2)


def test_config_file_from_environment(tmp_path):
    user = tmp_path / "my.cfg"
    user.write_text("[ingest]\nmax_bytes = 1234\n")
    assert load_settings(environ={"NEWSGRAPH_CONFIG": str(user)}).max_bytes == 1234


@pytest.mark.parametrize("override", [{"workers": 0}, {"batch_size": 0}, {"encoding": "nope"}])
def test_config_bad_values(override):
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, **override)
    assert info.value.code == "NG501"


def test_config_settings_pickle():
    import pickle

    settings = load_settings(environ={})
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert Settings().model == "auto"
