"""showtwin: one show per title and start, decided by a unique index (input14's show race)

Revision ID: showtwin_1
Revises: members_3

services.shows refused a second show of the same title and start one after the other, but two
saves at the same instant both passed the check. A database made before this may already hold
such twins: the later ones (higher id) get "（重复 #id）" after their title so the index can be
made, and nothing is deleted (each twin may already have comments or orders).
"""
import sqlalchemy as sa
from alembic import op


revision = "showtwin_1"
down_revision = "members_3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    twins = conn.execute(sa.text(
        'SELECT s.id, s.title FROM "show" s WHERE EXISTS (SELECT 1 FROM "show" o WHERE o.title = s.title'
        " AND o.scheduled_start = s.scheduled_start AND o.id < s.id)"
    )).all()
    for show_id, title in twins:
        conn.execute(sa.text('UPDATE "show" SET title = :t WHERE id = :id'),
                     {"t": f"{title[:180]}（重复 #{show_id}）", "id": show_id})
    op.create_index("uq_show_title_start", "show", ["title", "scheduled_start"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_show_title_start", table_name="show")
