"""members across shows: members, their aliases, per-show tallies, identity proposals

Revision ID: members_1
Revises: auth_1

Adds an index on show_buyer (name, show_id) and the tables member, member_alias, member_show, member_proposal and member_sync
(see db/models.py, services/members).
"""
from alembic import op
import sqlalchemy as sa


revision = "members_1"
down_revision = "auth_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_show_buyer_name", "show_buyer", ["name", "show_id"], unique=False)
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("building", sa.String(length=50), nullable=False),
        sa.Column("phone_tail", sa.String(length=4), nullable=False),
        sa.Column("koc", sa.Boolean(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("shows_watched", sa.Integer(), nullable=False),
        sa.Column("shows_bought", sa.Integer(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("spend", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("first_show_at", sa.DateTime(), nullable=True),
        sa.Column("first_order_at", sa.DateTime(), nullable=True),
        sa.Column("last_order_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["merged_into_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_member_community", "member", ["community_id", "merged_into_id"], unique=False)
    op.create_index("ix_member_community_tail", "member", ["community_id", "phone_tail"], unique=False)
    op.create_table(
        "member_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=160), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("community_id", "kind", "value", name="uq_member_alias"),
    )
    op.create_index("ix_member_alias_member", "member_alias", ["member_id"], unique=False)
    op.create_table(
        "member_show",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("show_at", sa.DateTime(), nullable=False),
        sa.Column("watched", sa.Boolean(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("spend", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("early", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("member_id", "show_id"),
    )
    op.create_index("ix_member_show_community_show", "member_show", ["community_id", "show_id"], unique=False)
    op.create_table(
        "member_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["other_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "other_id", name="uq_member_proposal_pair"),
    )
    op.create_index("ix_member_proposal_community_status", "member_proposal", ["community_id", "status"], unique=False)
    op.create_table(
        "member_sync",
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("show_id"),
    )


def downgrade() -> None:
    op.drop_table("member_sync")
    op.drop_index("ix_show_buyer_name", table_name="show_buyer")
    op.drop_index("ix_member_proposal_community_status", table_name="member_proposal")
    op.drop_table("member_proposal")
    op.drop_index("ix_member_show_community_show", table_name="member_show")
    op.drop_table("member_show")
    op.drop_index("ix_member_alias_member", table_name="member_alias")
    op.drop_table("member_alias")
    op.drop_index("ix_member_community_tail", table_name="member")
    op.drop_index("ix_member_community", table_name="member")
    op.drop_table("member")
