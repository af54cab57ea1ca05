import { Entity, PrimaryColumn } from 'typeorm';

/** Row of `core_center_municipality`: one municipality a center covers (担当区域). */
@Entity({ name: 'core_center_municipality' })
export class CoreCenterMunicipalityEntity {
  @PrimaryColumn({ name: 'core_center_id', type: 'uuid' })
  coreCenterId!: string;

  @PrimaryColumn({ name: 'municipality_code', type: 'char', length: 6 })
  municipalityCode!: string;
}
