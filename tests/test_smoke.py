from tests import factories


def test_login_and_dashboard(client, login_as, db):
    user = factories.supplier_admin()
    response = login_as(user)
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get("/")
    assert page.status_code == 200
    assert user.name in page.get_data(as_text=True)
