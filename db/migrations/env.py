from alembic import context

from db.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    import db

    engine = db.connect(config.get_main_option("sqlalchemy.url") or None)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
