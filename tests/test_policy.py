"""The gate policy (checks/policy.py): validation naming the setting, statuses, waivers, baseline."""

from datetime import date

import pytest

from govsite.checks.findings import Finding
from govsite.checks.policy import PolicyInvalid, apply_policy, load_policy, read_baseline, write_baseline

TODAY = date(2026, 11, 27)


def problems(settings):
    with pytest.raises(PolicyInvalid) as info:
        load_policy(settings)
    return {p.field: p.expected for p in info.value.problems}


def test_defaults():
    policy = load_policy(None)
    assert policy.engine == "all" and policy.pages == "smart" and policy.fail_impacts == {"serious", "critical"}
    assert policy.modes == ("normal", "care", "contrast")
    assert policy.waivers == () and policy.profile == "platform" and policy.axe_post_filters is True


def test_invalid_settings_are_named():
    found = problems({"engine": "lighthouse", "fail_impact": ["serious"], "modes": ["night"], "workers": 0,
                      "fail_impacts": ["fatal"], "remote": "grid:4444", "page_timeout": -1,
                      "disabled_rules": {"color-contrast": ""}, "axe_script": "/nope/axe.js"})
    assert "one of: static, axe, keyboard, both, all" in found["GOVSITE_A11Y['engine']"]
    assert "did you mean 'fail_impacts'" in found["GOVSITE_A11Y['fail_impact']"]
    for key in ("modes", "workers", "fail_impacts", "remote", "page_timeout", "disabled_rules", "axe_script"):
        assert f"GOVSITE_A11Y['{key}']" in found, key


def test_waivers_need_reason_and_valid_expiry():
    found = problems({"waivers": [{"rule": "color-contrast", "expires": "2027-01-01"},
                                  {"rule": "x", "reason": "r", "expires": "soon"},
                                  {"rule": "y", "reason": "r", "expires": "2027-01-01", "page": "*"}]})
    assert "why the finding is accepted" in found["GOVSITE_A11Y['waivers'][0]['reason']"]
    assert "YYYY-MM-DD" in found["GOVSITE_A11Y['waivers'][1]['expires']"]
    assert "only rule, pages" in found["GOVSITE_A11Y['waivers'][2]"]


def finding(rule="color-contrast", impact="serious", page="a/index.html", target="p", kind="violation"):
    return Finding(rule, impact, page, "msg", engine="axe", target=target, kind=kind)


def test_statuses_by_impact_kind_waiver_baseline_and_disabled():
    policy = load_policy({"disabled_rules": {"region": "layout uses no landmarks by design"},
                          "waivers": [{"rule": "color-contrast", "pages": "legacy/*", "selector": "*",
                                       "reason": "old banner, replaced in Q1", "expires": "2027-03-31"}]})
    found = [finding(), finding(impact="minor"), finding(kind="incomplete"), finding(page="legacy/x.html"),
             finding(rule="region"), finding(rule="image-alt", impact="critical", target="img")]
    baseline = {found[5].fingerprint}
    apply_policy(found, policy, baseline, TODAY)
    assert [f.status for f in found] == ["fail", "warn", "review", "waived", "disabled", "baseline"]
    assert "replaced in Q1" in found[3].reason


def test_expired_waiver_fails_the_gate():
    policy = load_policy({"waivers": [{"rule": "color-contrast", "pages": "*", "reason": "r", "expires": "2026-01-01"}]})
    found = apply_policy([finding()], policy, set(), TODAY)
    assert found[0].status == "fail", "an expired waiver no longer waives"
    expired = [f for f in found if f.rule == "waiver-expired"]
    assert expired and expired[0].status == "fail" and "2026-01-01" in expired[0].message


def test_label_content_name_mismatch_is_decided_like_any_rule():
    """axe-core 4.14 runs it as a WCAG 2.5.3 rule; issue 5308 is a post-filter now, not a blanket waiver."""
    found = apply_policy([finding(rule="label-content-name-mismatch")], load_policy(None), set(), TODAY)
    assert found[0].status == "fail"


def test_advisory_rules_never_fail():
    """page-has-heading-one (two h1 or none: WCAG requires neither) warns whatever its impact, in both engines."""
    policy = load_policy({"fail_impacts": ["minor", "moderate", "serious", "critical"]})
    found = [finding(rule="page-has-heading-one", impact="moderate"), finding(rule="p-as-heading", impact="serious"),
             Finding("page-has-heading-one", "moderate", "a.html", "two h1", engine="static")]
    apply_policy(found, policy, set(), TODAY)
    assert [f.status for f in found] == ["warn", "warn", "warn"] and "advisory" in found[0].reason


def test_profiles_choose_rules():
    platform, wcag = load_policy(None), load_policy({"profile": "wcag"})
    assert {"gov-meta", "gov-footer", "third-party-script"} <= wcag.skipped_rules
    assert not platform.skipped_rules & {"gov-meta", "gov-footer"} and "image-alt" not in wcag.skipped_rules
    assert platform.axe_treatment("page-has-heading-one") == "advisory" and wcag.axe_treatment("page-has-heading-one") == "off"
    assert platform.axe_treatment("css-orientation-lock") == wcag.axe_treatment("css-orientation-lock") == "run"
    assert platform.axe_treatment("color-contrast") == ""
    assert "one of: platform, wcag" in problems({"profile": "pa11y"})["GOVSITE_A11Y['profile']"]


def test_axe_integrity_is_validated(tmp_path):
    script = tmp_path / "axe.min.js"
    script.write_text("/*! axe v4.99.0 */")
    assert "sha512-<base64>" in problems({"axe_script": str(script), "axe_integrity": "md5-abc"})["GOVSITE_A11Y['axe_integrity']"]
    assert "vendored" in problems({"axe_integrity": "sha512-" + "A" * 86 + "=="})["GOVSITE_A11Y['axe_integrity']"]
    assert load_policy({"axe_script": str(script), "axe_integrity": "sha512-" + "A" * 86 + "=="}).axe_integrity


def test_baseline_round_trip(tmp_path):
    found = [finding(), finding(rule="image-alt", target="img"), finding(kind="incomplete", rule="x")]
    assert write_baseline(tmp_path / "b.json", found) == 2
    assert read_baseline(tmp_path / "b.json") == {found[0].fingerprint, found[1].fingerprint}
    with pytest.raises(PolicyInvalid, match="--write-baseline"):
        read_baseline(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("[]")
    with pytest.raises(PolicyInvalid, match="baseline JSON"):
        read_baseline(tmp_path / "bad.json")


def test_fingerprint_ignores_message_and_mode():
    a, b = finding(), finding()
    b.message, b.mode = "other", "care"
    assert a.fingerprint == b.fingerprint != finding(target="div").fingerprint


def test_browser_limits_are_validated_and_have_defaults(tmp_path):
    policy = load_policy(None)
    assert (policy.page_timeout, policy.start_timeout, policy.page_attempts, policy.browser_restarts) == (30, 30, 2, 5)
    assert policy.chromium == policy.chromedriver == ""
    found = problems({"start_timeout": 0, "page_timeout": True, "page_attempts": 0, "browser_restarts": -1,
                      "chromium": str(tmp_path / "no-chromium"), "chromedriver": 7})
    assert "a positive number of seconds" in found["GOVSITE_A11Y['start_timeout']"]
    assert "a positive number of seconds" in found["GOVSITE_A11Y['page_timeout']"]
    assert "1 or more" in found["GOVSITE_A11Y['page_attempts']"]
    assert "0 or more" in found["GOVSITE_A11Y['browser_restarts']"]
    assert "existing chromium executable" in found["GOVSITE_A11Y['chromium']"]
    assert "existing chromedriver executable" in found["GOVSITE_A11Y['chromedriver']"]


def test_fail_closed_rules_cannot_be_disabled_or_waived():
    found = problems({"disabled_rules": {"engine-error": "noisy"},
                      "waivers": [{"rule": "page-unchecked", "reason": "slow page", "expires": "2027-01-01"}]})
    assert "they always fail" in found["GOVSITE_A11Y['disabled_rules']"]
    assert "they always fail" in found["GOVSITE_A11Y['waivers'][0]['rule']"]


def test_fail_closed_findings_always_fail_and_stay_out_of_baselines(tmp_path):
    everything = {"rule": "*", "pages": "*", "selector": "*", "reason": "accept all", "expires": "2099-01-01"}
    policy = load_policy({"fail_impacts": ["minor"], "waivers": [everything]})
    found = [finding(rule=rule, impact="critical", target="") for rule in ("engine-error", "page-unchecked", "page-dialog")]
    found.append(finding())
    write_baseline(tmp_path / "b.json", found)
    baseline = read_baseline(tmp_path / "b.json")
    assert baseline == {found[3].fingerprint}, "only the ordinary finding can be accepted"
    apply_policy(found, policy, {f.fingerprint for f in found}, TODAY)
    assert [f.status for f in found] == ["fail", "fail", "fail", "waived"]
