"""The key that tells two organisations' names of one company apart from another's."""

from __future__ import annotations

import pytest

from portal.suppliers.matching import company_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Atelier Cuir Atlas SARL", "atelier cuir atlas"),
        ("ATELIER  CUIR-ATLAS s.a.r.l.", "atelier cuir atlas"),
        ("Taller Textil Sol, S.A. de C.V.", "taller textil sol"),
        ("Saigon Garment Co., Ltd.", "saigon garment"),
        ("Dhaka Knit Pvt. Ltd", "dhaka knit"),
        ("Müller Strick GmbH", "muller strick"),
        ("Công ty TNHH May Việt", "cong ty tnhh may viet"),
        ("广州纺织有限公司", "广州纺织"),
        ("Ｆｕｌｌｗｉｄｔｈ Ｔｅｘ Ｌｔｄ", "fullwidth tex"),
        ("Green Valley Farm", "green valley farm"),
    ],
)
def test_names_of_one_company_share_a_key(name, key):
    assert company_key(name) == key


def test_a_name_that_is_only_a_legal_form_keeps_it():
    assert company_key("Company") == "company"
    assert company_key("Co. Ltd.") == "co"


def test_different_companies_keep_different_keys():
    assert company_key("Sol Textiles") != company_key("Sol Textil")
    assert company_key("Atlas Leather Ltd") != company_key("Atlas Leather Goods Ltd")
