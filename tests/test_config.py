"""Configuration is read from the environment and refuses unsafe production values."""

import pytest

from regionlink import config


def test_a_production_start_without_a_secret_key_is_refused_naming_the_variable():
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load({"DEBUG": "0", "ALLOWED_HOSTS": "regionlink.gov.vn"})


def test_a_production_start_without_allowed_hosts_is_refused_naming_the_variable():
    with pytest.raises(config.ConfigError, match="ALLOWED_HOSTS"):
        config.load({"DEBUG": "0", "SECRET_KEY": "x" * 50})


def test_a_complete_production_configuration_is_accepted():
    values = config.load(
        {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a.gov.vn, b.gov.vn"}
    )
    assert values["ALLOWED_HOSTS"] == ["a.gov.vn", "b.gov.vn"]
    assert values["DEBUG"] is False


def test_development_mode_starts_with_the_default_key():
    assert config.load({"DEBUG": "1"})["SECRET_KEY"] == config.DEFAULT_SECRET_KEY


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("EMAIL_PORT", "twenty-five"), ("EMAIL_BACKEND", "pigeon")],
)
def test_a_malformed_value_is_refused_naming_the_variable(name, value):
    with pytest.raises(config.ConfigError, match=name):
        config.load({"DEBUG": "1", name: value})


def test_every_option_is_declared_once_with_a_description():
    names = [option.name for option in config.OPTIONS]
    assert len(names) == len(set(names))
    assert all(option.description for option in config.OPTIONS)
