"""members: a chain line is its name and building together (same name, another building: someone else)

Revision ID: members_5
Revises: polish_1

services.members linked a chain line to a member by its name alone, so 王芳 2份 5栋 and 王芳 1份 12栋
(one chain, or two nights) became one member whose orders and spend added up. Each line is now
decided by services.members.identity.who_is and kept as a LINE alias (show id|name|address),
which the tallies join on. A database made before this has no LINE aliases: every synced show is
marked stale (member_sync.version = -1) so the review and the members page link its lines and
recount it the next time they open it (a merge recounting a show links its lines too). The index
finds a line's namesakes. Existing members, aliases and proposals stay as they are.
"""
from alembic import op


revision = "members_5"
down_revision = "polish_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_member_community_name", "member", ["community_id", "name"])
    op.execute("UPDATE member_sync SET version = -1")


def downgrade() -> None:
    op.drop_index("ix_member_community_name", table_name="member")
    # LINE aliases are only read by this revision's code: drop them, the older code joins by name
    op.execute("DELETE FROM member_alias WHERE kind = 'line'")
